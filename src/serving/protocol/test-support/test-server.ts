// An in-test InferenceServer: a REAL ONNX logistic regression (the models' test fixture, run by
// onnxruntime-node through loadPredictor) wrapped as a ModelEndpoint, plus an echo endpoint that
// returns its inputs (for datatypes ONNX models written by Osprey cannot take), one that is never
// ready, and one that records feedback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notFound } from '../../../errors/index.js';
import { loadPredictor, type NamedTensors, type Predictor, type Signature } from '../../../models/index.js';
import {
  LR_SIGNATURE,
  lrProbabilities,
  writeLrPackage,
} from '../../../models/runtime/test-support/onnx-fixtures.js';
import type {
  Feedback,
  InferenceRequest,
  InferenceResponse,
  InferenceServer,
  ModelEndpoint,
} from '../../types.js';

export { LR_SIGNATURE, lrProbabilities };

/** Index of the largest probability per row (the model's label). */
export const lrLabels = (rows: readonly (readonly number[])[]) =>
  lrProbabilities(rows).map((p) => p.indexOf(Math.max(...p)));

/** Wraps a loaded predictor as a ModelEndpoint. */
export function predictorEndpoint(name: string, version: string, predictor: Predictor): ModelEndpoint {
  return {
    name,
    version,
    platform: 'onnx_onnxv1',
    signature: predictor.signature ?? LR_SIGNATURE,
    ready: () => predictor.loaded,
    async infer(request: InferenceRequest): Promise<InferenceResponse> {
      const outputs = await predictor.predict(request.inputs);
      return { id: request.id, modelName: name, modelVersion: version, outputs };
    },
  };
}

/** An endpoint returning its inputs as outputs (`out_<name>`), recording each request. */
export function echoEndpoint(
  name: string,
  signature: Signature,
  seen: InferenceRequest[] = [],
): ModelEndpoint {
  return {
    name,
    platform: 'osprey_echo',
    signature,
    ready: () => true,
    async infer(request) {
      seen.push(request);
      const outputs: NamedTensors = {};
      for (const [k, t] of Object.entries(request.inputs)) outputs[`out_${k}`] = t;
      return {
        id: request.id,
        modelName: name,
        outputs,
        parameters: { echoed: true },
        routing: { router: 1, [name]: -1 },
      };
    },
  };
}

/** A server over a list of endpoints (version optional in lookups). */
export function serverOf(
  endpoints: ModelEndpoint[],
  readiness = { live: true, ready: true },
): InferenceServer {
  return {
    metadata: () => ({ name: 'osprey-test', version: '0.1.0', extensions: [] }),
    live: () => readiness.live,
    ready: () => readiness.ready,
    endpoint(name, version) {
      const found = endpoints.find(
        (e) => e.name === name && (version === undefined || e.version === version),
      );
      if (!found) throw notFound(`model '${name}'${version ? ` version ${version}` : ''} not found`);
      return found;
    },
    endpoints: () => endpoints,
  };
}

/** The LR package on disk and its loaded predictor; `close()` unloads and removes both. */
export async function loadLr(): Promise<{ predictor: Predictor; close(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'osprey-protocol-'));
  const { dir } = await writeLrPackage(join(root, 'lr'));
  const predictor = await loadPredictor(dir, { onnx: { workers: 1 } });
  return {
    predictor,
    async close() {
      await predictor.unload();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** An endpoint with feedback that records what it receives. */
export function feedbackEndpoint(base: ModelEndpoint, received: Feedback[]): ModelEndpoint {
  return {
    name: base.name,
    platform: base.platform,
    signature: base.signature,
    ready: () => base.ready(),
    infer: (request, options) => base.infer(request, options),
    async feedback(feedback) {
      received.push(feedback);
    },
  };
}

/** Element-wise |actual − expected| ≤ tol (float32 inference of the LR: ~1e-7 relative error). */
export function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-6): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol)) {
      throw new Error(`element ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`);
    }
  }
}
