import type { Command } from 'commander';
import type { DiffRow, ExperimentEvent } from '../../pipelines/index.js';
import { collect, globalOptions, withClient } from '../context.js';
import { type Output, print } from '../output.js';

interface RunFlags {
  set?: string[];
  jobs?: string;
  name?: string;
}

function jobsOf(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw Object.assign(new Error(`--jobs must be a positive integer, got '${value}'`), { exitCode: 2 });
  return n;
}

async function projectRoot(command: Command): Promise<string> {
  const { findProjectRoot } = await import('../../data/index.js');
  return globalOptions(command).home ?? findProjectRoot(process.cwd());
}

/** Progress goes to stderr so stdout stays the result table (or JSON). */
function progress(output: Output, event: ExperimentEvent): void {
  const n = `#${event.index + 1}`;
  if (event.type === 'start') output.err(`${n} running ${JSON.stringify(event.set)}`);
  else if (event.type === 'repro' && event.event.type === 'failed')
    output.err(`${n} stage '${event.event.stage}' failed: ${event.event.message}`);
  else if (event.type === 'done') {
    const { status, runId, error } = event.result;
    output.err(`${n} ${status.toLowerCase()}: run ${runId}${error ? ` (${error})` : ''}`);
  }
}

const cell = (value: string | number | boolean | undefined) => (value === undefined ? '-' : String(value));

function printDiff(output: Output, command: Command, rows: DiffRow[]): void {
  print(output, Boolean(globalOptions(command).json), rows, () => ({
    head: ['key', 'old', 'new', 'change'],
    rows: rows.map((r) => [r.key, cell(r.old), cell(r.new), r.change === undefined ? '' : String(r.change)]),
  }));
}

function diffCommand(program: Command, output: Output, what: 'params' | 'metrics'): void {
  program
    .command(what)
    .description(`compare ${what} between commits, runs and the workspace`)
    .command('diff [a] [b]')
    .description(
      `${what} that changed from a to b: git revisions, run ids or 'workspace' (default HEAD workspace)`,
    )
    .action(async (a: string | undefined, b: string | undefined, _flags: unknown, command: Command) => {
      const root = await projectRoot(command);
      const { metricsDiff, paramsDiff } = await import('../../pipelines/index.js');
      const diff = what === 'params' ? paramsDiff : metricsDiff;
      printDiff(output, command, await withClient(command, (client) => diff({ root, client, a, b })));
    });
}

/**
 * `osprey experiments run` (alias `exp run`), added to the tracking `experiments` group, plus
 * `osprey params diff` and `osprey metrics diff`. Call after the experiments group exists.
 */
export function expCommands(program: Command, output: Output): void {
  const experiments =
    program.commands.find((c) => c.name() === 'experiments') ?? program.command('experiments');
  experiments
    .command('run')
    .description('run the pipeline with changed params, one tracking run per param set')
    .option('-S, --set <key=value[,value…]>', 'a param override; several values sweep (repeatable)', collect)
    .option('-j, --jobs <n>', 'executions at once (default 1)')
    .option('--name <experiment>', 'experiment the runs go to (default: the project directory name)')
    .action(async (flags: RunFlags, command: Command) => {
      const jobs = jobsOf(flags.jobs);
      const root = await projectRoot(command);
      const [{ openDataRepo }, { expandSets, formatSet, runExperiments }] = await Promise.all([
        import('../../data/index.js'),
        import('../../pipelines/index.js'),
      ]);
      const sets = expandSets(flags.set ?? []);
      const data = await openDataRepo({ root });
      try {
        const results = await withClient(command, (client) =>
          runExperiments({
            root,
            data,
            client,
            sets,
            jobs,
            name: flags.name,
            onEvent: (event) => progress(output, event),
          }),
        );
        print(output, Boolean(globalOptions(command).json), results, () => ({
          head: ['run', 'set', 'status', 'metrics'],
          rows: results.map((r) => [
            r.runId,
            formatSet(r.set),
            r.status,
            Object.entries(r.metrics)
              .map(([k, v]) => `${k}=${v}`)
              .join(' '),
          ]),
        }));
        const failed = results.filter((r) => r.status === 'FAILED');
        if (failed.length > 0)
          throw Object.assign(new Error(`${failed.length} of ${results.length} execution(s) failed`), {
            exitCode: 1,
          });
      } finally {
        await data.close();
      }
    });
  diffCommand(program, output, 'params');
  diffCommand(program, output, 'metrics');
}
