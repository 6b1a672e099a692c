import type { NamedTensors } from '../../models/index.js';
import type { BatchingSpec } from '../deployment/index.js';
import { batchKey, batchRows, concatRows, splitRows } from './tensor-batch.js';

/** Counters of a batcher, as Triton counts them: requests, batches run (exec count) and rows. */
export interface BatchStats {
  requests: number;
  batches: number;
  rows: number;
}

/** Coalesces concurrent requests to one model into batches. */
export interface Batcher {
  predict(inputs: NamedTensors, signal?: AbortSignal): Promise<NamedTensors>;
  stats(): BatchStats;
}

interface Entry {
  inputs: NamedTensors;
  rows: number;
  resolve(outputs: NamedTensors): void;
  reject(error: unknown): void;
  detach(): void;
}

interface OpenBatch {
  key: string;
  entries: Entry[];
  rows: number;
  timer: NodeJS.Timeout;
}

/**
 * Adaptive batching with MLServer's and Triton's rules (MLS `mlserver/batching/adaptive.py`, TR
 * `batcher.md`): a batch closes when it holds `maxBatchSize` rows or `maxBatchTimeMs` after its first
 * request was queued, whichever comes first; inputs are concatenated on dimension 0 and outputs split
 * back by each request's rows. Requests whose input names, datatypes or inner dimensions differ never
 * share a batch, a request of `maxBatchSize` rows or more runs alone, and a request aborted while
 * queued leaves the batch. When a batch fails, each of its requests is run again alone, so one bad
 * request fails with its own error and the others still get their answers (MLServer and Triton fail
 * the whole batch instead).
 */
export function createBatcher(
  run: (inputs: NamedTensors) => Promise<NamedTensors>,
  options: BatchingSpec,
): Batcher {
  const { maxBatchSize, maxBatchTimeMs } = options;
  // A model that throws instead of rejecting must still fail only its own batch.
  const call = (inputs: NamedTensors) => {
    try {
      return Promise.resolve(run(inputs));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const counts: BatchStats = { requests: 0, batches: 0, rows: 0 };
  let open: OpenBatch | undefined;

  function dispatch(batch: OpenBatch) {
    if (open === batch) open = undefined;
    clearTimeout(batch.timer);
    const { entries, rows } = batch;
    for (const e of entries) e.detach();
    if (entries.length === 0) return;
    counts.batches++;
    counts.rows += rows;
    const alone = (e: Entry) => {
      call(e.inputs).then(e.resolve, e.reject);
    };
    if (entries.length === 1) {
      alone(entries[0]!);
      return;
    }
    const fallBack = () => {
      counts.batches += entries.length;
      for (const e of entries) alone(e);
    };
    let inputs: NamedTensors;
    try {
      inputs = concatRows(entries.map((e) => e.inputs));
    } catch {
      fallBack(); // dispatch runs from a timer: a throw here would take the process down
      return;
    }
    call(inputs).then((outputs) => {
      let answers: NamedTensors[];
      try {
        answers = splitRows(
          outputs,
          entries.map((e) => e.rows),
        );
      } catch (error) {
        // The model's outputs are not per row: a configuration error no retry would fix.
        for (const e of entries) e.reject(error);
        return;
      }
      entries.forEach((e, i) => {
        e.resolve(answers[i]!);
      });
    }, fallBack);
  }

  return {
    predict(inputs, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const rows = batchRows(inputs);
      counts.requests++;
      if (rows >= maxBatchSize) {
        counts.batches++;
        counts.rows += rows;
        return call(inputs);
      }
      const key = batchKey(inputs);
      return new Promise<NamedTensors>((resolve, reject) => {
        if (open && (open.key !== key || open.rows + rows > maxBatchSize)) dispatch(open);
        if (!open) {
          const batch: OpenBatch = {
            key,
            entries: [],
            rows: 0,
            timer: setTimeout(() => dispatch(batch), maxBatchTimeMs),
          };
          open = batch;
        }
        const batch = open;
        const onAbort = () => {
          const at = batch.entries.indexOf(entry);
          if (at < 0) return;
          batch.entries.splice(at, 1);
          batch.rows -= rows;
          if (batch.entries.length === 0) {
            clearTimeout(batch.timer);
            if (open === batch) open = undefined;
          }
          reject(signal!.reason);
        };
        const entry: Entry = {
          inputs,
          rows,
          resolve,
          reject,
          detach: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        batch.entries.push(entry);
        batch.rows += rows;
        if (batch.rows >= maxBatchSize) dispatch(batch);
      });
    },
    stats: () => ({ ...counts }),
  };
}
