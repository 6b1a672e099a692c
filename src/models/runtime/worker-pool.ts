import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { OspreyError } from '../../errors/index.js';

/** Messages between the pool and its workers. */
export type ToWorker = { id: number; payload: unknown };
export type FromWorker =
  | { type: 'ready'; info: unknown }
  | { type: 'init-error'; error: WorkerError }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: WorkerError };
export interface WorkerError {
  message: string;
  code?: string;
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** The worker module (a sibling .ts under tsx, .js in dist). */
  url: URL;
  size: number;
  workerData: unknown;
}

/** A fixed set of long-lived workers taking one job at a time each, with a FIFO queue in front. */
export interface WorkerPool {
  /** Starts every worker; resolves with each one's ready info once all are ready. */
  start(): Promise<unknown[]>;
  run(payload: unknown, transfer?: ArrayBuffer[]): Promise<unknown>;
  /** Thread ids of the live workers. */
  readonly threadIds: number[];
  /** Terminates every worker; queued and running jobs fail with UNAVAILABLE. */
  close(): Promise<void>;
}

interface Job {
  id: number;
  payload: unknown;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Jobs posted to the worker and not answered yet, by id. */
  jobs: Map<number, Job>;
}

/**
 * Jobs a worker holds at once. Two keep it busy: while it runs one, the next already waits in its
 * message port, so it never idles for the round trip through the main thread between jobs.
 */
const JOBS_PER_WORKER = 2;

/**
 * Spawns a worker for `url`. From TypeScript sources (tests, `tsx`) the worker is booted through
 * tsx's ESM API: on Node 20 `execArgv: ['--import', 'tsx']` does not reach a worker's own entry
 * module (ERR_UNKNOWN_FILE_EXTENSION), while registering the hooks inside the worker does.
 */
export function spawnWorker(url: URL, workerData: unknown): Worker {
  if (extname(url.pathname) !== '.ts') return new Worker(url, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Converts an error a worker reported back into an OspreyError (when it carried a code) or an Error. */
export function reviveError(error: WorkerError): Error {
  if (error.code) return new OspreyError(error.code as OspreyError['code'], error.message);
  return new Error(error.message);
}

/** Creates (but does not start) a pool; see {@link WorkerPool}. */
export function createWorkerPool({ url, size, workerData }: WorkerPoolOptions): WorkerPool {
  const slots: Slot[] = [];
  // Every worker not yet exited, ready or still starting: close() and a failed start() end them all.
  const live = new Set<Worker>();
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  const failJobs = (slot: Slot, error: Error) => {
    for (const job of slot.jobs.values()) job.reject(error);
    slot.jobs.clear();
  };
  const failQueue = (error: Error) => {
    for (const job of queue.splice(0)) job.reject(error);
  };
  // Level by level, so idle workers get a job before any worker gets its second.
  const dispatch = () => {
    for (let depth = 1; depth <= JOBS_PER_WORKER; depth++) {
      for (const slot of slots) {
        if (slot.jobs.size >= depth || queue.length === 0) continue;
        const job = queue.shift()!;
        slot.jobs.set(job.id, job);
        slot.worker.postMessage({ id: job.id, payload: job.payload } satisfies ToWorker, job.transfer);
      }
    }
  };

  const terminateAll = () => Promise.all([...live].map((w) => w.terminate()));

  const startOne = () =>
    new Promise<unknown>((resolve, reject) => {
      const worker = spawnWorker(url, workerData);
      live.add(worker);
      const slot: Slot = { worker, jobs: new Map() };
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if ('type' in message) {
          if (message.type === 'ready') {
            ready = true;
            slots.push(slot);
            resolve(message.info);
            dispatch();
          } else {
            reject(reviveError(message.error));
            void worker.terminate();
          }
          return;
        }
        const job = slot.jobs.get(message.id);
        slot.jobs.delete(message.id);
        if (job) {
          if (message.ok) job.resolve(message.result);
          else job.reject(reviveError(message.error));
        }
        dispatch();
      });
      worker.on('error', (error) => {
        if (!ready) reject(error);
        failJobs(slot, new OspreyError('UNAVAILABLE', `model worker failed: ${error.message}`));
      });
      worker.on('exit', () => {
        live.delete(worker);
        const index = slots.indexOf(slot);
        if (index >= 0) slots.splice(index, 1);
        failJobs(
          slot,
          new OspreyError('UNAVAILABLE', closed ? 'the model was unloaded' : 'model worker exited'),
        );
        if (!ready) reject(new OspreyError('UNAVAILABLE', 'model worker exited before it was ready'));
        // A crashed worker is replaced so the pool keeps its size; one that was closed is not.
        else if (!closed) startOne().catch((error: Error) => slots.length === 0 && failQueue(error));
      });
    });

  return {
    async start() {
      const results = await Promise.allSettled(Array.from({ length: size }, startOne));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        closed = true;
        await terminateAll();
        throw failed.reason;
      }
      return results.map((r) => (r as PromiseFulfilledResult<unknown>).value);
    },
    run(payload, transfer = []) {
      if (closed) return Promise.reject(new OspreyError('UNAVAILABLE', 'the model was unloaded'));
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, payload, transfer, resolve, reject });
        dispatch();
      });
    },
    get threadIds() {
      return slots.map((s) => s.worker.threadId);
    },
    async close() {
      closed = true;
      failQueue(new OspreyError('UNAVAILABLE', 'the model was unloaded'));
      await terminateAll();
    },
  };
}
