import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { linearRegressionToOnnx, logisticRegressionToOnnx, mlpToOnnx, readOnnxModel } from './index.js';
import { runWithOrt } from './ort-harness.js';
import { assertClose, randomRows, seededUniform } from './test-data.js';

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
};
const argmax = (v: number[]) => v.indexOf(Math.max(...v));
const matrix = (rows: number, cols: number, seed: number) => {
  const u = seededUniform(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => u() * 2 - 1));
};
const isInvalid = (e: unknown) => e instanceof OspreyError && e.code === 'INVALID_ARGUMENT';

describe('linear model emitters in onnxruntime', () => {
  const rows = randomRows(64, 4, 7);

  it('linear regression (2 targets) matches x·Wᵀ + b', async () => {
    const params = { coefficients: matrix(2, 4, 1), intercepts: [0.5, -1.25] };
    const out = await runWithOrt(linearRegressionToOnnx(params), rows);
    assert.deepEqual(out.variable!.dims, [64, 2]);
    const expected = rows.flatMap((r) =>
      params.coefficients.map((w, k) => dot(w, r) + params.intercepts[k]!),
    );
    assertClose(out.variable!.data as number[], expected);
  });

  it('binary logistic regression gives label and [1 − p, p]', async () => {
    const params = { coefficients: matrix(1, 4, 2), intercepts: [0.1] };
    const out = await runWithOrt(logisticRegressionToOnnx(params), rows);
    const p = rows.map((r) => 1 / (1 + Math.exp(-(dot(params.coefficients[0]!, r) + 0.1))));
    assertClose(
      out.probabilities!.data as number[],
      p.flatMap((v) => [1 - v, v]),
    );
    assert.deepEqual(
      out.label!.data,
      p.map((v) => (v > 0.5 ? 1 : 0)),
    );
  });

  it('multinomial logistic regression with custom labels uses softmax and Gather', async () => {
    const params = { coefficients: matrix(3, 4, 3), intercepts: [0, 0.2, -0.2], classLabels: [10, 20, 30] };
    const bytes = logisticRegressionToOnnx(params, { inputName: 'features' });
    assert.equal(readOnnxModel(bytes).graph.inputs[0]!.name, 'features');
    const out = await runWithOrt(bytes, rows, 'features');
    const probs = rows.map((r) =>
      softmax(params.coefficients.map((w, k) => dot(w, r) + params.intercepts[k]!)),
    );
    assertClose(out.probabilities!.data as number[], probs.flat());
    assert.deepEqual(
      out.label!.data,
      probs.map((p) => params.classLabels[argmax(p)]),
    );
  });

  it('rejects inconsistent parameters', () => {
    assert.throws(
      () => linearRegressionToOnnx({ coefficients: [[1, 2], [3]], intercepts: [0, 0] }),
      isInvalid,
    );
    assert.throws(() => linearRegressionToOnnx({ coefficients: [[1, 2]], intercepts: [] }), isInvalid);
    assert.throws(
      () => linearRegressionToOnnx({ coefficients: [[1, Number.NaN]], intercepts: [0] }),
      isInvalid,
    );
    assert.throws(
      () => logisticRegressionToOnnx({ coefficients: [[1]], intercepts: [0], classLabels: [1, 2, 3] }),
      isInvalid,
    );
  });
});

describe('MLP emitter in onnxruntime', () => {
  const rows = randomRows(50, 3, 11);
  const forward = (
    x: number[],
    layers: { weights: number[][]; bias: number[] }[],
    act: (v: number) => number,
  ) => {
    let h = x;
    layers.forEach((layer, i) => {
      const z = layer.bias.map((b, j) => b + h.reduce((s, v, k) => s + v * layer.weights[k]![j]!, 0));
      h = i < layers.length - 1 ? z.map(act) : z;
    });
    return h;
  };

  for (const [activation, act] of [
    ['relu', (v: number) => Math.max(0, v)],
    ['tanh', Math.tanh],
    ['sigmoid', (v: number) => 1 / (1 + Math.exp(-v))],
  ] as const) {
    it(`softmax head with ${activation} layers matches a float64 forward pass`, async () => {
      const layers = [
        { weights: matrix(3, 5, 21), bias: matrix(1, 5, 22)[0]! },
        { weights: matrix(5, 4, 23), bias: matrix(1, 4, 24)[0]! },
        { weights: matrix(4, 3, 25), bias: [0.1, 0, -0.1] },
      ];
      const out = await runWithOrt(mlpToOnnx({ layers, activation, head: 'softmax' }), rows);
      const probs = rows.map((r) => softmax(forward(r, layers, act)));
      assertClose(out.probabilities!.data as number[], probs.flat());
      assert.deepEqual(out.label!.data, probs.map(argmax));
    });
  }

  it('identity head is a regressor', async () => {
    const layers = [
      { weights: matrix(3, 6, 31), bias: matrix(1, 6, 32)[0]! },
      { weights: matrix(6, 1, 33), bias: [2] },
    ];
    const out = await runWithOrt(mlpToOnnx({ layers, activation: 'tanh', head: 'identity' }), rows);
    assertClose(
      out.variable!.data as number[],
      rows.map((r) => forward(r, layers, Math.tanh)[0]!),
    );
  });

  it('rejects mismatched layer shapes', () => {
    const bad = [
      { weights: matrix(3, 2, 1), bias: [0, 0] },
      { weights: matrix(3, 2, 2), bias: [0, 0] },
    ];
    assert.throws(() => mlpToOnnx({ layers: bad, activation: 'relu', head: 'softmax' }), isInvalid);
    assert.throws(() => mlpToOnnx({ layers: [], activation: 'relu', head: 'softmax' }), isInvalid);
  });
});
