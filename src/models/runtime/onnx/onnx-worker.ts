// Worker thread holding one long-lived onnxruntime session. onnxruntime-node's run() blocks the
// thread it is called on for the whole inference (onnxruntime#19611), so it runs here, never on the
// main event loop. Protocol: see worker-pool.ts.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { FromWorker, ToWorker, WorkerError } from '../worker-pool.js';
import { ortLoadReason } from './ort-load-error.js';
import type { OrtValueInfo, WireTensor } from './ort-types.js';

/** What the main thread sends each worker at start. */
export interface OnnxWorkerData {
  modelPath: string;
  sessionOptions: ort.InferenceSession.SessionOptions;
}

/** The ready info each worker reports. */
export interface OnnxWorkerInfo {
  inputs: OrtValueInfo[];
  outputs: OrtValueInfo[];
}

/** One prediction request: input tensors and the outputs to fetch. */
export interface OnnxJob {
  feeds: Record<string, WireTensor>;
  fetches: string[];
}

const port = parentPort!;
const toError = (error: unknown): WorkerError => {
  const e = error as { message?: unknown; code?: unknown };
  const code = typeof e?.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : undefined;
  return { message: String(e?.message ?? error), ...(code ? { code } : {}) };
};
const info = (m: ort.InferenceSession.ValueMetadata): OrtValueInfo =>
  m.isTensor
    ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] }
    : { name: m.name, isTensor: false };

const { modelPath, sessionOptions } = workerData as OnnxWorkerData;
let session: ort.InferenceSession;
try {
  session = await ort.InferenceSession.create(modelPath, sessionOptions);
  const ready: OnnxWorkerInfo = {
    inputs: session.inputMetadata.map(info),
    outputs: session.outputMetadata.map(info),
  };
  port.postMessage({ type: 'ready', info: ready } satisfies FromWorker);
} catch (error) {
  port.postMessage({
    type: 'init-error',
    error: {
      message: `${modelPath} is not a model onnxruntime can load: ${ortLoadReason(toError(error).message)}`,
      code: 'INVALID_ARGUMENT',
    },
  } satisfies FromWorker);
}

port.on('message', async ({ id, payload }: ToWorker) => {
  try {
    const { feeds, fetches } = payload as OnnxJob;
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      ortFeeds[name] = new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
    }
    const results = await session.run(ortFeeds, fetches);
    const outputs: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(results)) {
      const data = t.data as WireTensor['data'];
      outputs[name] = { type: t.type, dims: [...t.dims], data };
      if (
        !Array.isArray(data) &&
        data.buffer instanceof ArrayBuffer &&
        data.byteLength === data.buffer.byteLength
      ) {
        transfer.push(data.buffer);
      }
    }
    port.postMessage({ id, ok: true, result: outputs } satisfies FromWorker, transfer);
  } catch (error) {
    port.postMessage({ id, ok: false, error: toError(error) } satisfies FromWorker);
  }
});
