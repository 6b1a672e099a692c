// Shared by the runtime tests and the benchmark: ONNX models from src/models/onnx with their exact
// TypeScript reference predictions, and helpers to package them.
import { logisticRegressionToOnnx, mlpToOnnx } from '../../onnx/index.js';
import { type Signature, writeModelPackage } from '../../package/index.js';

/** Multinomial logistic regression over 3 features and 3 classes (fixed, hand-picked numbers). */
export const LR = {
  coefficients: [
    [0.8, -1.2, 0.5],
    [-0.3, 0.9, 0.1],
    [0.2, 0.4, -0.7],
  ],
  intercepts: [0.1, -0.2, 0.05],
};

/** The signature of the {@link LR} ONNX model, with column names for tabular input. */
export const LR_SIGNATURE: Signature = {
  inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3], columns: ['a', 'b', 'c'] }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
  ],
};

/** Softmax(x·Wᵀ + b) in float64: the value the ONNX graph approximates in float32. */
export function lrProbabilities(rows: readonly (readonly number[])[]): number[][] {
  return rows.map((x) => {
    const z = LR.coefficients.map((w, k) => w.reduce((s, wj, j) => s + wj * x[j]!, LR.intercepts[k]!));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
}

/** Deterministic pseudo-random rows in [-2, 2) (a linear congruential generator, seedable). */
export function seededRows(n: number, width: number, seed: number): number[][] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: n }, () => Array.from({ length: width }, () => next() * 4 - 2));
}

/** Writes the logistic regression as an onnx package (signature omitted when `signature` is null). */
export function writeLrPackage(dir: string, signature: Signature | null = LR_SIGNATURE) {
  return writeModelPackage(dir, {
    flavor: 'onnx',
    files: { 'model.onnx': logisticRegressionToOnnx(LR) },
    ...(signature ? { signature } : {}),
    metadata: { framework: 'osprey-onnx' },
  });
}

/**
 * A wider MLP (F → H → H → 10, tanh, softmax head) whose inference on a few thousand rows takes long
 * enough to measure and to show event-loop blocking. Weights are deterministic.
 */
export function mlpBytes(features = 64, hidden = 256): Uint8Array {
  const rows = seededRows(features + 2 * hidden, Math.max(hidden, 10), 11);
  const layer = (from: number, nIn: number, nOut: number) => ({
    weights: Array.from({ length: nIn }, (_, i) =>
      rows[from + i]!.slice(0, nOut).map((v) => v / Math.sqrt(nIn)),
    ),
    bias: Array.from({ length: nOut }, (_, j) => 0.01 * j),
  });
  return mlpToOnnx({
    layers: [
      layer(0, features, hidden),
      layer(features, hidden, hidden),
      layer(features + hidden, hidden, 10),
    ],
    activation: 'tanh',
    head: 'softmax',
  });
}

/** A flat Float32Array of `rows` × `width`. */
export function flat(rows: readonly (readonly number[])[]): Float32Array {
  const width = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    out.set(r, i * width);
  });
  return out;
}
