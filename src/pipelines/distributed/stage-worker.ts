import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { DataRepo } from '../../data/index.js';
import { isOspreyError } from '../../errors/index.js';
import { type BlobStore, createBlobStore } from '../../store/blob/index.js';
import { runRemoteStage } from './run-remote-stage.js';
import {
  checkExecutor,
  connectionOf,
  type ExecutorOptions,
  type StageJob,
  type StageJobResult,
  whenConnected,
} from './stage-job.js';

/** What a worker does, as it happens. */
export type WorkerEvent =
  | { type: 'start'; stage: string; job: string }
  | { type: 'output'; stage: string; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'done'; stage: string; ms: number }
  | { type: 'failed'; stage: string; message: string };

/** Options of {@link startStageWorker}. */
export interface StageWorkerOptions extends ExecutorOptions {
  /** This machine's copy of the project, and its data repo. */
  root: string;
  data: DataRepo;
  /** Stages run at once by this worker (default 1). */
  concurrency?: number;
  /** How results name this worker (default `<host>/<pid>`). */
  name?: string;
  /** Opens the remote a job names (default createBlobStore). */
  openRemote?: (uri: string) => BlobStore;
  onEvent?: (event: WorkerEvent) => void;
}

/** A running worker. */
export interface StageWorker {
  readonly name: string;
  readonly queue: string;
  /** Finishes the stages in hand, takes no more. */
  close(): Promise<void>;
}

/**
 * Pulls stage jobs from the queue and runs them on this machine's copy of the project: inputs
 * from the remote, outs pushed back, their digests returned to the coordinator. A failed stage
 * fails its job without retries (its log tail goes into the job's log); a job whose worker dies
 * is re-delivered by BullMQ, which is safe because a stage run is idempotent.
 */
export async function startStageWorker(options: StageWorkerOptions): Promise<StageWorker> {
  const { url, queue } = checkExecutor(options);
  const name = options.name ?? `${hostname()}/${process.pid}`;
  const emit = options.onEvent ?? (() => undefined);
  const openRemote = options.openRemote ?? ((uri: string) => createBlobStore(uri));
  const controller = new AbortController();

  const processJob = async (job: Job<StageJob, StageJobResult>): Promise<StageJobResult> => {
    const { stage, cmd, inputs, remote } = job.data;
    const started = Date.now();
    emit({ type: 'start', stage, job: job.id ?? '' });
    const fail = (message: string) => {
      emit({ type: 'failed', stage, message });
      return new UnrecoverableError(message);
    };
    let outcome: Awaited<ReturnType<typeof runRemoteStage>>;
    try {
      outcome = await runRemoteStage(
        {
          root: options.root,
          data: options.data,
          remote: openRemote(remote),
          signal: controller.signal,
          onLine: (s, line, stream) => emit({ type: 'output', stage: s, line, stream }),
        },
        { stage, cmd, inputs },
      );
    } catch (error) {
      if (isOspreyError(error) || error instanceof Error) throw fail(`on ${name}: ${error.message}`);
      throw error;
    }
    if (outcome.kind === 'interrupted') throw new Error(`${name} stopped while running '${stage}'`);
    if (outcome.kind === 'failed') {
      for (const line of outcome.tail) await job.log(line);
      throw fail(`on ${name}: ${outcome.message} (log: ${outcome.logFile})`);
    }
    const ms = Date.now() - started;
    emit({ type: 'done', stage, ms });
    return { outs: outcome.entry.outs, worker: name, ms };
  };

  const worker = new Worker<StageJob, StageJobResult>(queue, processJob, {
    connection: connectionOf(url),
    concurrency: Math.max(1, options.concurrency ?? 1),
  });
  // Connection errors are retried by ioredis; an unhandled 'error' event would end the process.
  worker.on('error', () => undefined);
  await whenConnected(worker.waitUntilReady(), url, () => worker.close(true), options.readyTimeoutMs);
  return {
    name,
    queue,
    async close() {
      await worker.close();
      controller.abort();
    },
  };
}
