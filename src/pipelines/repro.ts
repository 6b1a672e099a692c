import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type DataRepo, ensureIgnored } from '../data/index.js';
import { isOspreyError } from '../errors/index.js';
import { logFileOf, restoreFromRunCache, runStage, type StageContext } from './execute-stage.js';
import { buildDag, type Dag, selectStages } from './graph.js';
import { loadPipeline } from './load.js';
import { createLockWriter, type LockEntry, readLock } from './lock.js';
import { createParamsReader } from './params.js';
import { openRunCache, runCacheKey } from './run-cache.js';
import { changeReasons, snapshotPaths } from './stage-status.js';
import type { Pipeline, Stage } from './types.js';
import { createYamlReader, type YamlReader } from './yaml-file.js';

/** Options of {@link repro}. */
export interface ReproOptions {
  /** Stage or group names; with everything upstream of them. Default: every stage. */
  targets?: readonly string[];
  /** Stages running at once (default 1). */
  jobs?: number;
  /** Run the selected stages even when nothing changed (and without the run cache). */
  force?: boolean;
  /** Say what would run, run nothing. */
  dryRun?: boolean;
  /** Aborting kills running stages; only finished stages reach the lock. */
  signal?: AbortSignal;
  onEvent?: (event: ReproEvent) => void;
  /** Runs a stage that must run (default: here, in a shell); distributed executors replace it. */
  runStage?: typeof runStage;
}

/** Progress of a repro, in the order things happen. */
export type ReproEvent =
  | { type: 'start'; stage: string; reasons: string[] }
  | { type: 'output'; stage: string; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'done'; stage: string; how: 'ran' | 'restored'; ms: number }
  | { type: 'skipped'; stage: string }
  | { type: 'would-run'; stage: string; reasons: string[] }
  | { type: 'failed'; stage: string; message: string; logFile?: string; tail: string[] }
  | { type: 'blocked'; stage: string; by: string };

/** What a repro did, stage names per outcome. */
export interface ReproResult {
  ran: string[];
  restored: string[];
  skipped: string[];
  wouldRun: string[];
  failed: string[];
  blocked: string[];
  interrupted: boolean;
}

/** Dependencies of {@link repro}: the project root and its data repository (opened on that root). */
export interface ReproDeps {
  root: string;
  data: DataRepo;
  /** Milliseconds now (default Date.now). */
  now?: () => number;
}

/** Loads osprey.yaml and checks the DAG (cycles, missing deps, overlapping outs) before anything runs. */
export async function loadDag(root: string, read?: YamlReader): Promise<{ pipeline: Pipeline; dag: Dag }> {
  const pipeline = await loadPipeline(root, read);
  return { pipeline, dag: buildDag(pipeline, (path) => existsSync(join(root, path))) };
}

/** `fn` with calls run one after another (concurrent stages share .gitignore files). */
function serialized<A>(fn: (arg: A) => Promise<void>): (arg: A) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return (arg) => {
    const next = chain.then(() => fn(arg));
    chain = next.catch(() => undefined);
    return next;
  };
}

type Status = 'pending' | 'running' | 'ok' | 'would-run' | 'failed' | 'blocked' | 'interrupted';

/**
 * Reproduces the pipeline at `deps.root`: runs what changed, in dependency order, `jobs` stages at
 * a time; restores states seen before from the run cache; records each finished stage in the lock.
 */
export async function repro(deps: ReproDeps, options: ReproOptions = {}): Promise<ReproResult> {
  const { root, data } = deps;
  const now = deps.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const stateDir = join(data.layout.stateDir, 'state');
  const read = createYamlReader(join(stateDir, 'parsed'));
  const { dag } = await loadDag(root, read);
  const selected = selectStages(dag, options.targets ?? []);
  const lock = await readLock(root, read);
  const writer = createLockWriter(root, lock);
  const readParams = createParamsReader(root, read);
  const ctx: StageContext = {
    root,
    data,
    runCache: openRunCache(join(stateDir, 'run-cache')),
    logDir: join(stateDir, 'logs'),
    signal: options.signal,
    ignore: serialized(async (paths) => {
      for (const path of paths) await ensureIgnored(dirname(join(root, path)), basename(path));
    }),
    onLine: (stage, line, stream) => emit({ type: 'output', stage, line, stream }),
  };
  const result: ReproResult = {
    ran: [],
    restored: [],
    skipped: [],
    wouldRun: [],
    failed: [],
    blocked: [],
    interrupted: false,
  };
  const status = new Map<string, Status>();
  for (const stage of dag.order) if (selected.has(stage.name)) status.set(stage.name, 'pending');

  const processStage = async (stage: Stage): Promise<Status> => {
    const upstream = [...dag.upstream.get(stage.name)!];
    const { found, missing } = await snapshotPaths(data, stage.deps);
    if (missing.length > 0) return fail(stage, `missing dependencies: ${missing.join(', ')}`);
    const params = await readParams(stage);
    const upstreamWouldRun = upstream.some((u) => status.get(u) === 'would-run');
    const reasons = options.force
      ? ['forced']
      : upstreamWouldRun
        ? ['an upstream stage would run']
        : await changeReasons(data, stage, lock.get(stage.name), found, params);
    if (reasons.length === 0) {
      result.skipped.push(stage.name);
      emit({ type: 'skipped', stage: stage.name });
      return 'ok';
    }
    if (options.dryRun) {
      result.wouldRun.push(stage.name);
      emit({ type: 'would-run', stage: stage.name, reasons });
      return 'would-run';
    }
    emit({ type: 'start', stage: stage.name, reasons });
    const started = now();
    const key = runCacheKey({ stage, deps: found, params });
    const cachedOuts = key !== undefined && !options.force ? await ctx.runCache.get(key) : undefined;
    if (cachedOuts !== undefined && (await restoreFromRunCache(ctx, stage, cachedOuts))) {
      await writer.record(stage.name, { cmd: stage.cmd, deps: found, params, outs: cachedOuts });
      result.restored.push(stage.name);
      emit({ type: 'done', stage: stage.name, how: 'restored', ms: now() - started });
      return 'ok';
    }
    const outcome = await (options.runStage ?? runStage)(ctx, stage, found, params);
    if (outcome.kind === 'interrupted') return 'interrupted';
    if (outcome.kind === 'failed') return fail(stage, outcome.message, outcome.logFile, outcome.tail);
    await record(stage, outcome.entry, key);
    result.ran.push(stage.name);
    emit({ type: 'done', stage: stage.name, how: 'ran', ms: now() - started });
    return 'ok';
  };
  const record = async (stage: Stage, entry: LockEntry, key: string | undefined) => {
    await writer.record(stage.name, entry);
    if (key !== undefined) await ctx.runCache.put(key, entry.outs);
  };
  const fail = (stage: Stage, message: string, logFile?: string, tail: string[] = []): Status => {
    result.failed.push(stage.name);
    emit({ type: 'failed', stage: stage.name, message, tail, ...(logFile ? { logFile } : {}) });
    return 'failed';
  };

  await schedule(
    dag,
    status,
    Math.max(1, options.jobs ?? 1),
    options.signal,
    async (stage) => {
      try {
        return await processStage(stage);
      } catch (error) {
        if (!isOspreyError(error) && !(error instanceof Error)) throw error;
        return fail(stage, error.message, logFileOf(ctx.logDir, stage.name));
      }
    },
    (stage, by) => {
      result.blocked.push(stage.name);
      emit({ type: 'blocked', stage: stage.name, by });
    },
  );
  await writer.flush();
  result.interrupted = [...status.values()].includes('interrupted') || options.signal?.aborted === true;
  return result;
}

/**
 * Starts each pending stage once all its upstream stages are done, `jobs` at a time, in DAG order
 * among the ready ones. The dependants of a stage that failed (or was interrupted) are blocked;
 * after an abort nothing new starts.
 */
async function schedule(
  dag: Dag,
  status: Map<string, Status>,
  jobs: number,
  signal: AbortSignal | undefined,
  work: (stage: Stage) => Promise<Status>,
  onBlocked: (stage: Stage, by: string) => void,
): Promise<void> {
  const waiting = new Map<string, number>();
  const ready: Stage[] = [];
  for (const stage of dag.order) {
    if (!status.has(stage.name)) continue;
    const ups = [...dag.upstream.get(stage.name)!].filter((u) => status.has(u)).length;
    waiting.set(stage.name, ups);
    if (ups === 0) ready.push(stage);
  }
  const block = (name: string, by: string) => {
    for (const down of dag.downstream.get(name)!) {
      if (status.get(down) !== 'pending') continue;
      status.set(down, 'blocked');
      onBlocked(dag.byName.get(down)!, by);
      block(down, by);
    }
  };
  let running = 0;
  await new Promise<void>((resolve, reject) => {
    const finish = (stage: Stage, outcome: Status) => {
      status.set(stage.name, outcome);
      running -= 1;
      if (outcome === 'ok' || outcome === 'would-run') {
        for (const down of dag.downstream.get(stage.name)!) {
          const left = waiting.get(down)! - 1;
          waiting.set(down, left);
          if (left === 0 && status.get(down) === 'pending') ready.push(dag.byName.get(down)!);
        }
      } else block(stage.name, stage.name);
      pump();
    };
    const pump = () => {
      while (!signal?.aborted && running < jobs && ready.length > 0) {
        const stage = ready.shift()!;
        status.set(stage.name, 'running');
        running += 1;
        work(stage).then((outcome) => finish(stage, outcome), reject);
      }
      if (running === 0) resolve();
    };
    pump();
  });
}
