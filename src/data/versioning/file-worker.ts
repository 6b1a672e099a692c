// Worker-thread entry: runs batches of file jobs (see file-ops.ts) and posts the results back,
// with a byte count every PROGRESS_STEP bytes so a bar moves during one big file.
import { parentPort } from 'node:worker_threads';
import { CHUNK_SIZE, type FileJob, type JobResult, runFileJob } from './file-ops.js';

/** A batch sent to a worker. */
export interface WorkerRequest {
  id: number;
  jobs: FileJob[];
}

/** A worker's answer: bytes processed so far, or the batch's results in job order. */
export type WorkerReply = { id: number; bytes: number } | { id: number; results: JobResult[] };

const PROGRESS_STEP = 64 * 1024 * 1024;
const buffer = Buffer.allocUnsafe(CHUNK_SIZE);

parentPort?.on('message', ({ id, jobs }: WorkerRequest) => {
  let pending = 0;
  const onBytes = (n: number) => {
    pending += n;
    if (pending >= PROGRESS_STEP) {
      parentPort?.postMessage({ id, bytes: pending } satisfies WorkerReply);
      pending = 0;
    }
  };
  const results = jobs.map((job) => runFileJob(job, buffer, onBytes));
  parentPort?.postMessage({ id, results } satisfies WorkerReply);
});
