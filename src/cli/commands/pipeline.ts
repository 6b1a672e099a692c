import type { Command } from 'commander';
import type { ReproEvent, ReproOptions, ReproResult } from '../../pipelines/index.js';
import { globalOptions } from '../context.js';
import type { Output } from '../output.js';

interface ReproFlags {
  jobs?: string;
  force?: boolean;
  dryRun?: boolean;
  executor?: string;
  queue?: string;
  remote?: string;
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

/** Repro progress for people, as (stream, line) pairs: stage output prefixed with the stage's name. */
function eventLines(event: ReproEvent): ['out' | 'err', string][] {
  const s = `'${event.stage}'`;
  const why = (reasons: string[]) => reasons.slice(0, 3).join('; ');
  switch (event.type) {
    case 'start':
      return [['out', `Running stage ${s} (${why(event.reasons)})`]];
    case 'output':
      return [[event.stream === 'stdout' ? 'out' : 'err', `[${event.stage}] ${event.line}`]];
    case 'done':
      return [
        [
          'out',
          event.how === 'restored'
            ? `Stage ${s} restored from the run cache`
            : `Stage ${s} done in ${(event.ms / 1000).toFixed(1)}s`,
        ],
      ];
    case 'skipped':
      return [['out', `Stage ${s} didn't change, skipping`]];
    case 'would-run':
      return [['out', `Would run stage ${s} (${why(event.reasons)})`]];
    case 'blocked':
      return [['err', `Stage ${s} not run: '${event.by}' did not finish`]];
    case 'failed':
      return [
        ['err', `Stage ${s} failed: ${event.message}`],
        ...(event.tail.length > 0
          ? [['err', `--- last ${event.tail.length} lines of ${event.logFile} ---`] as ['err', string]]
          : []),
        ...event.tail.map((line): ['err', string] => ['err', line]),
      ];
  }
}

function summary(result: ReproResult): string {
  const parts = [
    [result.ran.length, 'ran'],
    [result.restored.length, 'restored from the run cache'],
    [result.skipped.length, 'unchanged'],
    [result.wouldRun.length, 'would run'],
    [result.failed.length, 'failed'],
    [result.blocked.length, 'not run'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}

/** `osprey repro` and `osprey dag`: DVC-style pipelines from osprey.yaml. */
export function pipelineCommand(program: Command, output: Output) {
  program
    .command('repro')
    .description('run the stages of osprey.yaml whose cmd, deps, params or outs changed (and what they need)')
    .argument('[stages...]', 'stages or foreach/matrix groups to bring up to date (default: all)')
    .option('-j, --jobs <n>', 'stages to run at once', '1')
    .option('-f, --force', 'run the selected stages even if nothing changed')
    .option('--dry-run', 'print what would run, run nothing')
    .option(
      '--executor <url>',
      'send stages to `osprey worker` processes through BullMQ at redis://host:port',
    )
    .option('--queue <name>', 'BullMQ queue of the workers (default osprey-stages)')
    .option('--remote <name>', 'data remote the workers share (default: the default remote)')
    .action(async (stages: string[], flags: ReproFlags, command: Command) => {
      const jobs = jobsOf(flags.jobs);
      const json = Boolean(globalOptions(command).json);
      const root = await projectRoot(command);
      const [{ openDataRepo }, { repro, distributedRepro }] = await Promise.all([
        import('../../data/index.js'),
        import('../../pipelines/index.js'),
      ]);
      const data = await openDataRepo({ root });
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      // `on`, not `once`: a second Ctrl-C must not kill Osprey before it has killed the stages,
      // which run in process groups of their own.
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let result: ReproResult;
      try {
        const options: ReproOptions = {
          targets: stages,
          jobs,
          force: flags.force,
          dryRun: flags.dryRun,
          signal: controller.signal,
          onEvent: json
            ? undefined
            : (event) => {
                for (const [stream, line] of eventLines(event)) output[stream](line);
              },
        };
        result = flags.executor
          ? await distributedRepro(
              { root, data },
              {
                ...options,
                executor: { url: flags.executor, ...(flags.queue ? { queue: flags.queue } : {}) },
                ...(flags.remote ? { remote: flags.remote } : {}),
              },
            )
          : await repro({ root, data }, options);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await data.close();
      }
      if (json) output.out(JSON.stringify(result, null, 2));
      else output.out(summary(result) || 'nothing to do');
      if (result.interrupted)
        throw Object.assign(new Error('interrupted: finished stages are in osprey.lock'), { exitCode: 130 });
      if (result.failed.length > 0)
        throw Object.assign(new Error(`stage(s) failed: ${result.failed.join(', ')}`), { exitCode: 1 });
    });

  program
    .command('dag')
    .description(
      'print the pipeline of osprey.yaml: each stage with the stages it needs, or a Mermaid flowchart',
    )
    .option('--mermaid', 'print a Mermaid flowchart')
    .action(async (flags: { mermaid?: boolean }, command: Command) => {
      const { formatDagMermaid, formatDagText, loadDag } = await import('../../pipelines/index.js');
      const { dag } = await loadDag(await projectRoot(command));
      if (globalOptions(command).json) {
        const edges = dag.order.flatMap((s) =>
          [...dag.downstream.get(s.name)!].map((d) => ({ from: s.name, to: d })),
        );
        output.out(JSON.stringify({ stages: dag.order.map((s) => s.name), edges }, null, 2));
        return;
      }
      output.out(flags.mermaid ? formatDagMermaid(dag) : formatDagText(dag));
    });
}
