import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { invalidArgument } from '../../errors/index.js';
import { collect, globalOptions } from '../context.js';
import type { Output } from '../output.js';

interface ExportFlags {
  target: string;
  out?: string;
  image: string;
  run: string;
  remote?: string;
  workdir?: string;
  name?: string;
}

interface WorkerFlags {
  executor: string;
  queue?: string;
  concurrency: string;
  name?: string;
}

interface RunStageFlags {
  remote: string;
  inputs: string[];
  result?: string;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw invalidArgument(`${flag} must be a positive integer, got '${value}'`);
  return n;
}

async function projectRoot(command: Command): Promise<string> {
  const { findProjectRoot } = await import('../../data/index.js');
  return globalOptions(command).home ?? findProjectRoot(process.cwd());
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/** The URI of the project's default remote, if one is configured. */
async function defaultRemoteUri(root: string): Promise<string | undefined> {
  const { openDataRepo } = await import('../../data/index.js');
  const data = await openDataRepo({ root, threads: 0 });
  try {
    if ((await data.remotes.list()).length === 0) return undefined;
    return (await data.openRemote()).uri;
  } finally {
    await data.close();
  }
}

/** `--inputs` values: JSON arrays of locked paths (an upstream task's outs). */
function parseInputs(values: readonly string[]) {
  return values.flatMap((text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidArgument(
        `--inputs must be a JSON array of {path, digest, size}, got ${text.slice(0, 80)}`,
      );
    }
    const ok = (p: unknown) => {
      const o = p as Record<string, unknown>;
      return typeof o?.path === 'string' && typeof o.digest === 'string' && typeof o.size === 'number';
    };
    if (!Array.isArray(parsed) || !parsed.every(ok))
      throw invalidArgument('--inputs must be a JSON array of {path, digest, size}');
    return parsed as { path: string; digest: string; size: number; nfiles?: number; isDir?: boolean }[];
  });
}

/** Runs until SIGINT/SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `osprey pipeline export --target argo`, `osprey pipeline run-stage` (what an exported task runs)
 * and `osprey worker` (runs stages sent through a BullMQ queue).
 */
export function pipelineExportCommands(program: Command, output: Output): void {
  const pipeline = program.command('pipeline').description('export a pipeline, or run one stage of it');
  pipeline
    .command('export')
    .description('write osprey.yaml as an Argo Workflows manifest: one DAG task per stage')
    .requiredOption('--target <target>', 'what to export to: argo')
    .option('-o, --out <file>', 'write the manifest to a file (default: stdout)')
    .option(
      '--image <image>',
      'container image of the tasks (with --run osprey: Osprey and the project)',
      'osprey:latest',
    )
    .option(
      '--run <mode>',
      "'osprey': tasks run `osprey pipeline run-stage`; 'cmd': the stage commands",
      'osprey',
    )
    .option('--remote <uri>', 'Osprey remote the tasks share data through (default: the default remote)')
    .option('--workdir <dir>', 'project directory inside the image', '/workspace')
    .option('--name <name>', "prefix of the workflow's name (default: the project directory)")
    .action(async (flags: ExportFlags, command: Command) => {
      if (flags.target !== 'argo') throw invalidArgument(`--target must be argo, got '${flags.target}'`);
      if (flags.run !== 'osprey' && flags.run !== 'cmd')
        throw invalidArgument(`--run must be osprey or cmd, got '${flags.run}'`);
      const root = await projectRoot(command);
      const { exportProjectToArgo, formatArgoWorkflow } = await import('../../pipelines/index.js');
      const remote = flags.run === 'osprey' ? (flags.remote ?? (await defaultRemoteUri(root))) : undefined;
      const workflow = await exportProjectToArgo(root, {
        image: flags.image,
        run: flags.run,
        ...(remote !== undefined ? { remote } : {}),
        ...(flags.workdir !== undefined ? { workdir: flags.workdir } : {}),
        ...(flags.name !== undefined ? { name: flags.name } : {}),
      });
      const text = globalOptions(command).json
        ? JSON.stringify(workflow, null, 2)
        : formatArgoWorkflow(workflow);
      if (flags.out === undefined) output.out(text.trimEnd());
      else {
        await writeAtomic(flags.out, text);
        output.err(`wrote ${flags.out}`);
      }
    });

  pipeline
    .command('run-stage')
    .description("run one stage on inputs from a remote and push its outs there (an exported task's step)")
    .argument('<stage>', 'stage name')
    .requiredOption('--remote <uri>', 'Osprey remote (directory, file:// or s3://) holding the inputs')
    .option('--inputs <json>', "an upstream stage's outs, as JSON (repeatable)", collect, [])
    .option('--result <file>', "write this stage's outs (JSON) here for its dependants")
    .action(async (stage: string, flags: RunStageFlags, command: Command) => {
      const inputs = parseInputs(flags.inputs);
      const root = await projectRoot(command);
      const [{ openDataRepo }, { runRemoteStage }, { createBlobStore }] = await Promise.all([
        import('../../data/index.js'),
        import('../../pipelines/index.js'),
        import('../../store/blob/index.js'),
      ]);
      const data = await openDataRepo({ root });
      try {
        const outcome = await runRemoteStage(
          {
            root,
            data,
            remote: createBlobStore(flags.remote),
            onLine: (_s, line, stream) => output[stream === 'stdout' ? 'out' : 'err'](line),
          },
          { stage, inputs },
        );
        if (outcome.kind === 'interrupted') throw Object.assign(new Error('interrupted'), { exitCode: 130 });
        if (outcome.kind === 'failed') {
          for (const line of outcome.tail) output.err(line);
          throw Object.assign(new Error(`stage '${stage}' failed: ${outcome.message}`), { exitCode: 1 });
        }
        if (flags.result !== undefined) await writeAtomic(flags.result, JSON.stringify(outcome.entry.outs));
      } finally {
        await data.close();
      }
    });

  program
    .command('worker')
    .description('run pipeline stages sent by `osprey repro --executor` through a Redis (BullMQ) queue')
    .requiredOption('--executor <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue to take stages from (default osprey-stages)')
    .option('--concurrency <n>', 'stages to run at once', '1')
    .option('--name <name>', 'how results name this worker (default host/pid)')
    .action(async (flags: WorkerFlags, command: Command) => {
      const concurrency = positiveInt(flags.concurrency, '--concurrency');
      const root = await projectRoot(command);
      const [{ openDataRepo }, { checkExecutor, startStageWorker }] = await Promise.all([
        import('../../data/index.js'),
        import('../../pipelines/index.js'),
      ]);
      const executor = checkExecutor({ url: flags.executor, queue: flags.queue });
      const data = await openDataRepo({ root });
      try {
        const worker = await startStageWorker({
          ...executor,
          root,
          data,
          concurrency,
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          onEvent: (event) => {
            if (event.type === 'start') output.out(`[${event.stage}] started (job ${event.job})`);
            else if (event.type === 'output')
              output[event.stream === 'stdout' ? 'out' : 'err'](`[${event.stage}] ${event.line}`);
            else if (event.type === 'done')
              output.out(`[${event.stage}] done in ${(event.ms / 1000).toFixed(1)}s`);
            else output.err(`[${event.stage}] failed: ${event.message}`);
          },
        });
        output.out(`worker ${worker.name} waiting for stages on queue ${worker.queue}`);
        await untilStopped();
        await worker.close();
      } finally {
        await data.close();
      }
    });
}
