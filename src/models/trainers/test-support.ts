import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { FeatureRows } from './data.js';

/** Test helper: outputs of an Osprey model graph run in onnxruntime-node (float32 input). */
export interface OnnxPredictions {
  label?: number[];
  probabilities?: number[][];
  variable?: number[];
}

/** Test helper: runs ONNX bytes on rows with one intra-op thread and reshapes the outputs. */
export async function runOnnx(bytes: Uint8Array, X: FeatureRows): Promise<OnnxPredictions> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const f = X[0]!.length;
    const flat = new Float32Array(X.length * f);
    X.forEach((row, i) => {
      flat.set(Array.from(row), i * f);
    });
    const out = await session.run({ input: new ort.Tensor('float32', flat, [X.length, f]) });
    const result: OnnxPredictions = {};
    if (out.label) result.label = Array.from(out.label.data as BigInt64Array, Number);
    if (out.variable) result.variable = Array.from(out.variable.data as Float32Array);
    if (out.probabilities) {
      const [n, c] = out.probabilities.dims as [number, number];
      const data = out.probabilities.data as Float32Array;
      result.probabilities = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * c, i * c + c)));
    }
    return result;
  } finally {
    await session.release();
  }
}

/** Test helper: |a − e| <= abs + rel·|e| element-wise. */
export function assertClose(
  actual: readonly number[],
  expected: readonly number[],
  rel = 1e-5,
  abs = 1e-5,
): void {
  assert.equal(actual.length, expected.length, 'length');
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= abs + rel * Math.abs(e), `index ${i}: ${a} vs ${e}`);
  });
}

/** Test helper: share of equal entries. */
export function accuracy(predicted: readonly number[], truth: readonly number[]): number {
  return predicted.filter((p, i) => p === truth[i]).length / truth.length;
}

/** Test helper: rows whose top two probabilities differ by more than `gap` (no float32 tie). */
export function clearRows(proba: readonly number[][], gap = 1e-4): number[] {
  return proba.flatMap((p, i) => {
    const sorted = [...p].sort((a, b) => b - a);
    return sorted[0]! - sorted[1]! > gap ? [i] : [];
  });
}

/**
 * Test helper: compares an ONNX classifier run with the model's own predictions. With `allLabels`
 * every label must match (single trees: tied leaves stay exactly tied in float32); otherwise rows
 * whose top probabilities are within 1e-4 (float32 vs float64 near-ties) are skipped.
 */
export async function assertOnnxClassifierAgrees(
  model: {
    predict(X: FeatureRows): number[];
    predictProba(X: FeatureRows): number[][];
    toOnnx(): Uint8Array;
  },
  X: FeatureRows,
  allLabels = false,
): Promise<void> {
  const onnx = await runOnnx(model.toOnnx(), X);
  const proba = model.predictProba(X);
  assertClose(onnx.probabilities!.flat(), proba.flat());
  const labels = model.predict(X);
  if (allLabels) {
    assert.deepEqual(onnx.label, labels);
    return;
  }
  const clear = clearRows(proba);
  assert.ok(clear.length >= 0.9 * X.length, `only ${clear.length} rows without near-ties`);
  for (const i of clear) assert.equal(onnx.label![i], labels[i], `row ${i}`);
}
