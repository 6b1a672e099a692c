import { invalidArgument, OspreyError } from '../../errors/index.js';
import type { LockedPath } from '../lock.js';

/** What the coordinator asks a worker to do: run one stage on these inputs, share data through `remote`. */
export interface StageJob {
  /** One repro; with the stage it makes the job id, so a re-delivered job is the same job. */
  runId: string;
  stage: string;
  /** The stage's commands as the coordinator loaded them: a worker with another osprey.yaml refuses the job. */
  cmd: string[];
  /** Blob store URI of the Osprey remote (a directory, file:// or s3://). */
  remote: string;
  /** The stage's deps with the digests it must run on (already on the remote). */
  inputs: LockedPath[];
}

/** What a worker reports for a stage that ran. */
export interface StageJobResult {
  /** The stage's outs, pushed to the remote. */
  outs: LockedPath[];
  /** Which worker ran it (`host/pid`, or the name it was given). */
  worker: string;
  ms: number;
}

/** Options of a connection to the executor: the Redis URL and the queue. */
export interface ExecutorOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** BullMQ queue name (default `osprey-stages`): one per resource class, e.g. `stages-gpu`. */
  queue?: string;
  /** How long to wait for Redis at start (default 10 s); after that, dropped connections are retried. */
  readyTimeoutMs?: number;
}

export const DEFAULT_QUEUE = 'osprey-stages';

/** Checks an executor URL and queue name before anything connects. */
export function checkExecutor(options: ExecutorOptions): Required<Omit<ExecutorOptions, 'readyTimeoutMs'>> {
  if (!/^rediss?:\/\/[^/\s]+(\/\d+)?$/.test(options.url))
    throw invalidArgument(
      `executor must be a Redis URL (redis://host:port), got ${JSON.stringify(options.url)}`,
    );
  const queue = options.queue ?? DEFAULT_QUEUE;
  // BullMQ keys are `bull:<queue>:…`; a ':' in the name would break them.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(queue))
    throw invalidArgument(`invalid queue name ${JSON.stringify(queue)}: letters, digits, '.', '_' and '-'`);
  return { url: options.url, queue };
}

/** BullMQ connection options (workers need maxRetriesPerRequest null). */
export const connectionOf = (url: string) => ({ url, maxRetriesPerRequest: null });

/** The job id of a stage in a run (BullMQ ids must not contain ':'). */
export const jobIdOf = (runId: string, stage: string) => `${runId}.${stage.replace(/:/g, '_')}`;

/**
 * Waits for BullMQ's connections; UNAVAILABLE after `ms`, when `close` has released them (ioredis
 * would otherwise retry an unreachable server for ever, and the command would hang).
 */
export async function whenConnected(
  ready: Promise<unknown>,
  url: string,
  close: () => Promise<unknown>,
  ms = 10_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    if ((await Promise.race([ready, timeout])) !== 'timeout') return;
  } finally {
    clearTimeout(timer);
  }
  await close();
  throw new OspreyError('UNAVAILABLE', `cannot reach Redis at ${url} (waited ${ms / 1000} s)`);
}
