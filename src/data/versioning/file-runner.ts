import { Worker } from 'node:worker_threads';
import { OspreyError } from '../../errors/index.js';
import { CHUNK_SIZE, type FileJob, type JobResult, runFileJob } from './file-ops.js';
import type { WorkerReply, WorkerRequest } from './file-worker.js';

/** Progress of a run, as increments. */
export interface RunProgress {
  files: number;
  bytes: number;
}

/** Options of {@link FileRunner.run}. */
export interface RunOptions {
  /** Expected bytes per job. */
  sizes?: readonly number[];
  onProgress?: (progress: RunProgress) => void;
  /** Called with each finished batch (results of jobs `start`…), before run() resolves. */
  onBatch?: (start: number, results: readonly JobResult[]) => void;
}

/** Runs file jobs across worker threads. */
export interface FileRunner {
  /**
   * Runs every job and resolves with their results in job order. `sizes` (expected bytes per
   * job) shapes the batches: many small files go together, a big one alone.
   */
  run(jobs: readonly FileJob[], options?: RunOptions): Promise<JobResult[]>;
  /** Stops the threads; the runner can still be used (it starts them again). */
  close(): Promise<void>;
}

/** Options of {@link createFileRunner}. */
export interface FileRunnerOptions {
  /** Worker threads; 0 runs everything on the calling thread (default: all cores). */
  threads: number;
}

const BATCH_FILES = 256;
const BATCH_BYTES = 8 * 1024 * 1024;
// Below this much work a thread hop (and, from TypeScript sources, a worker boot) costs more than it saves.
const INLINE_FILES = 16;
const INLINE_BYTES = 4 * 1024 * 1024;
// Two batches in flight per worker hide the message round trip.
const IN_FLIGHT = 2;

interface Batch {
  id: number;
  start: number;
  jobs: FileJob[];
  reported: number;
}

function workerUrl(): URL {
  // From TypeScript sources (tests, tsx) the sibling is a .ts file; from dist a .js one.
  return new URL(import.meta.url.endsWith('.ts') ? './file-worker.ts' : './file-worker.js', import.meta.url);
}

// Node 20 does not apply `--import tsx` to a worker's entry module, so from sources the worker
// registers tsx itself before importing the real entry.
function spawn(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true });
}

function toBatches(jobs: readonly FileJob[], sizes: readonly number[] | undefined): Batch[] {
  const batches: Batch[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < jobs.length; i++) {
    const size = sizes?.[i] ?? 0;
    const full = i - start >= BATCH_FILES || (i > start && bytes + size > BATCH_BYTES);
    if (full) {
      batches.push({ id: 0, start, jobs: jobs.slice(start, i), reported: 0 });
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < jobs.length) batches.push({ id: 0, start, jobs: jobs.slice(start), reported: 0 });
  return batches;
}

const sizeOf = (result: JobResult) => (result.ok ? result.value.size : 0);

/** A runner over `threads` worker threads, started on first use. */
export function createFileRunner({ threads }: FileRunnerOptions): FileRunner {
  interface Slot {
    worker: Worker;
    busy: Map<number, (reply: WorkerReply) => void>;
  }
  let slots: Slot[] = [];
  let nextId = 1;
  let inlineBuffer: Buffer | undefined;

  function startSlot(): Slot {
    const slot: Slot = { worker: spawn(workerUrl()), busy: new Map() };
    slot.worker.on('message', (reply: WorkerReply) => slot.busy.get(reply.id)?.(reply));
    const failAll = (message: string) => {
      for (const [id, handler] of slot.busy) handler({ id, results: [] });
      slot.busy.clear();
      slots = slots.filter((s) => s !== slot);
      crashed = new OspreyError('INTERNAL', message);
    };
    slot.worker.on('error', (error) => failAll(`file worker failed: ${error.message}`));
    slot.worker.on('exit', (code) => slot.busy.size > 0 && failAll(`file worker exited with code ${code}`));
    slot.worker.unref();
    return slot;
  }
  let crashed: OspreyError | undefined;

  function runInline(jobs: readonly FileJob[], onProgress?: (p: RunProgress) => void): JobResult[] {
    inlineBuffer ??= Buffer.allocUnsafe(CHUNK_SIZE);
    const buffer = inlineBuffer;
    return jobs.map((job) => {
      const result = runFileJob(job, buffer);
      onProgress?.({ files: 1, bytes: sizeOf(result) });
      return result;
    });
  }

  return {
    async run(jobs, options = {}) {
      const { sizes, onProgress, onBatch } = options;
      const total = sizes?.reduce((a, b) => a + b, 0) ?? 0;
      if (threads <= 0 || (jobs.length <= INLINE_FILES && total <= INLINE_BYTES)) {
        const results = runInline(jobs, onProgress);
        onBatch?.(0, results);
        return results;
      }
      while (slots.length < threads) slots.push(startSlot());
      crashed = undefined;
      const results = new Array<JobResult>(jobs.length);
      const queue = toBatches(jobs, sizes);
      await new Promise<void>((resolve, reject) => {
        let pending = queue.length;
        const pump = () => {
          if (crashed) return reject(crashed);
          if (pending === 0) return resolve();
          for (const slot of slots) {
            while (slot.busy.size < IN_FLIGHT && queue.length > 0) send(slot, queue.shift()!);
          }
        };
        const send = (slot: Slot, batch: Batch) => {
          batch.id = nextId++;
          if (slot.busy.size === 0) slot.worker.ref();
          slot.busy.set(batch.id, (reply) => {
            if ('bytes' in reply) {
              batch.reported += reply.bytes;
              onProgress?.({ files: 0, bytes: reply.bytes });
              return;
            }
            slot.busy.delete(batch.id);
            if (slot.busy.size === 0) slot.worker.unref();
            if (reply.results.length !== batch.jobs.length) return pump();
            let bytes = 0;
            reply.results.forEach((result, i) => {
              results[batch.start + i] = result;
              bytes += sizeOf(result);
            });
            onProgress?.({ files: batch.jobs.length, bytes: bytes - batch.reported });
            onBatch?.(batch.start, reply.results);
            pending -= 1;
            pump();
          });
          slot.worker.postMessage({ id: batch.id, jobs: batch.jobs } satisfies WorkerRequest);
        };
        pump();
      });
      return results;
    },
    async close() {
      const closing = slots;
      slots = [];
      await Promise.all(closing.map((slot) => slot.worker.terminate()));
    },
  };
}
