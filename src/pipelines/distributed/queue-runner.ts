import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { DataRepo } from '../../data/index.js';
import type { BlobStore } from '../../store/blob/index.js';
import { restoreFromRunCache, type StageContext, type StageOutcome } from '../execute-stage.js';
import type { LockedPath } from '../lock.js';
import type { ParamValues } from '../params.js';
import { snapshotPaths } from '../stage-status.js';
import type { Stage } from '../types.js';
import {
  checkExecutor,
  connectionOf,
  type ExecutorOptions,
  jobIdOf,
  type StageJob,
  type StageJobResult,
  whenConnected,
} from './stage-job.js';

/** A stage a worker ran, as the coordinator saw it. */
export interface Dispatch {
  stage: string;
  job: string;
  worker: string;
  /** Epoch milliseconds the worker took and finished the job (BullMQ's processedOn / finishedOn). */
  startedAt: number;
  finishedAt: number;
}

/** Options of {@link createQueueStageRunner}. */
export interface QueueRunnerOptions extends ExecutorOptions {
  /** The coordinator's data repo: deps are pushed from it, outs checked out into it. */
  data: DataRepo;
  /** The remote the workers share data through. */
  remote: BlobStore;
  /** Names this run's jobs (default: a random UUID). */
  runId?: string;
  onDispatch?: (dispatch: Dispatch) => void;
}

/** Runs stages on workers: a stage runner for repro, plus the connections to close. */
export interface QueueStageRunner {
  run(
    ctx: StageContext,
    stage: Stage,
    deps: readonly LockedPath[],
    params: ParamValues,
  ): Promise<StageOutcome>;
  close(): Promise<void>;
}

/** Resolves with the job's result, or undefined when `signal` aborts first. */
function untilFinished<T>(wait: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (signal === undefined) return wait;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A stage runner that sends each stage to the workers of a BullMQ queue instead of running it
 * here. Osprey keeps the scheduling (BullMQ flows are trees, pipelines are DAGs): repro calls this
 * only for a stage whose upstream stages are done. The deps go to the remote first; the outs the
 * worker pushed are checked out here, so the workspace and the lock agree as after a local run.
 */
export async function createQueueStageRunner(options: QueueRunnerOptions): Promise<QueueStageRunner> {
  const { url, queue: name } = checkExecutor(options);
  const { data, remote } = options;
  const runId = options.runId ?? randomUUID();
  const queue = new Queue<StageJob, StageJobResult>(name, { connection: connectionOf(url) });
  queue.on('error', () => undefined);
  await whenConnected(queue.waitUntilReady(), url, () => queue.close(), options.readyTimeoutMs);
  // Only once Redis answered: a QueueEvents that never connected does not close.
  const events = new QueueEvents(name, { connection: connectionOf(url) });
  events.on('error', () => undefined);
  await events.waitUntilReady();
  // Each job in flight listens on both until it finishes; hundreds may be in flight.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);

  return {
    async run(ctx, stage, deps, params) {
      const committed = await snapshotPaths(
        data,
        deps.map((d) => d.path),
        true,
      );
      await data.pushSnapshots(committed.found, remote, { signal: ctx.signal });
      const jobId = jobIdOf(runId, stage.name);
      const job = await queue.add(
        stage.name,
        { runId, stage: stage.name, cmd: stage.cmd, remote: remote.uri, inputs: committed.found },
        { jobId, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } },
      );
      let result: StageJobResult | undefined;
      try {
        result = await untilFinished(job.waitUntilFinished(events), ctx.signal);
      } catch (error) {
        const { logs } = await queue.getJobLogs(jobId);
        return { kind: 'failed', message: (error as Error).message, logFile: `job ${jobId}`, tail: logs };
      }
      if (result === undefined) return { kind: 'interrupted' };
      const finished = await queue.getJob(jobId);
      options.onDispatch?.({
        stage: stage.name,
        job: jobId,
        worker: result.worker,
        startedAt: finished?.processedOn ?? 0,
        finishedAt: finished?.finishedOn ?? 0,
      });
      await data.fetchSnapshots(result.outs, remote, { signal: ctx.signal });
      if (!(await restoreFromRunCache(ctx, stage, result.outs)))
        return {
          kind: 'failed',
          message: `the outs of '${stage.name}' could not be checked out`,
          logFile: `job ${jobId}`,
          tail: [],
        };
      return { kind: 'ran', entry: { cmd: stage.cmd, deps: committed.found, params, outs: result.outs } };
    },
    async close() {
      await Promise.all([events.close(), queue.close()]);
    },
  };
}
