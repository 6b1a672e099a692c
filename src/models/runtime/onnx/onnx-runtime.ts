import { extname } from 'node:path';
import { invalidArgument } from '../../../errors/index.js';
import { type ModelPackage, resolveInside, type Signature } from '../../package/index.js';
import type { ModelRuntime, NamedTensors, PredictorOptions, RuntimeFactory } from '../predictor.js';
import { checkSignatureAgainstModel } from '../signature-check.js';
import { createWorkerPool, type WorkerPool } from '../worker-pool.js';
import type { OnnxJob, OnnxWorkerData, OnnxWorkerInfo } from './onnx-worker.js';
import { fromWire, signatureFromOrt, toWire, type WireTensor } from './ort-types.js';

/** The ONNX runtime, which also shows the thread ids of its live workers. */
export interface OnnxRuntime extends ModelRuntime {
  readonly threadIds: number[];
}

const positiveInt = (value: number | undefined, fallback: number, name: string) => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw invalidArgument(`onnx.${name} must be a positive integer, got ${v}`);
  return v;
};

/**
 * ONNX flavor: a small pool of worker threads, each with its own long-lived onnxruntime session with
 * `intraOpNumThreads` set explicitly (default 1), so inference never blocks the caller's event loop
 * and parallelism comes from the number of workers rather than from each session's thread pool.
 */
export function createOnnxRuntime(pkg: ModelPackage, options: PredictorOptions): OnnxRuntime {
  if (pkg.manifest.flavor !== 'onnx')
    throw invalidArgument(`package flavor is ${pkg.manifest.flavor}, not onnx`);
  const file = pkg.manifest.onnx.file;
  const onnx = options.onnx ?? {};
  const workers = positiveInt(onnx.workers, 1, 'workers');
  const workerData: OnnxWorkerData = {
    modelPath: resolveInside(pkg.dir, file, 'onnx.file'),
    sessionOptions: {
      intraOpNumThreads: positiveInt(onnx.intraOpNumThreads, 1, 'intraOpNumThreads'),
      interOpNumThreads: positiveInt(onnx.interOpNumThreads, 1, 'interOpNumThreads'),
      graphOptimizationLevel: onnx.graphOptimizationLevel ?? 'all',
      executionProviders: ['cpu'],
    },
  };
  let pool: WorkerPool | undefined;
  let fetches: string[] = [];

  return {
    async load(declared) {
      const url = new URL(`./onnx-worker${extname(new URL(import.meta.url).pathname)}`, import.meta.url);
      pool = createWorkerPool({ url, size: workers, workerData });
      const [info] = (await pool.start()) as OnnxWorkerInfo[];
      const model = signatureFromOrt(info!.inputs, info!.outputs, workerData.modelPath);
      if (declared) checkSignatureAgainstModel(declared, model, workerData.modelPath);
      // Fetch what the signature declares, or every tensor output of the model.
      fetches = (declared && declared.outputs.length > 0 ? declared : model).outputs.map((o) => o.name);
      return model;
    },
    async predict(inputs: NamedTensors, _signature: Signature | undefined) {
      if (!pool) throw invalidArgument('onnx runtime is not loaded');
      const feeds: Record<string, WireTensor> = {};
      for (const [name, tensor] of Object.entries(inputs)) feeds[name] = toWire(tensor);
      const job: OnnxJob = { feeds, fetches };
      const result = (await pool.run(job)) as Record<string, WireTensor>;
      const outputs: NamedTensors = {};
      for (const [name, wire] of Object.entries(result)) outputs[name] = fromWire(wire);
      return outputs;
    },
    async unload() {
      const p = pool;
      pool = undefined;
      await p?.close();
    },
    get threadIds() {
      return pool?.threadIds ?? [];
    },
  };
}

createOnnxRuntime satisfies RuntimeFactory;
