import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { loadSklearnFixtures } from './fixtures.js';
import { type LogisticRegressionModel, makeBlobs, trainLogisticRegression } from './index.js';
import { accuracy, assertClose, assertOnnxClassifierAgrees } from './test-support.js';

const fx = loadSklearnFixtures().logistic;

/** sklearn's objective C·Σ log loss + ½‖W‖² for coefficients W and intercepts b (binary: one row). */
function objective(
  W: readonly (readonly number[])[],
  b: readonly number[],
  X: number[][],
  y: number[],
  c: number,
): number {
  let loss = 0;
  X.forEach((x, i) => {
    const z = W.map((w, k) => w.reduce((s, v, j) => s + v * x[j]!, b[k]!));
    if (z.length === 1) loss += Math.log1p(Math.exp(z[0]!)) - (y[i] === 1 ? z[0]! : 0);
    else loss += Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[y[i]!]!;
  });
  return c * loss + 0.5 * W.flat().reduce((s, v) => s + v * v, 0);
}

function centred(values: readonly number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.map((v) => v - mean);
}

describe('trainLogisticRegression', () => {
  for (const kind of ['binary', 'multinomial'] as const) {
    it(`${kind}: matches sklearn LogisticRegression(C=${fx[kind].C}) and reaches at least its optimum`, () => {
      const ref = fx[kind];
      const model: LogisticRegressionModel = trainLogisticRegression(ref.X, ref.y, { c: ref.C });
      assert.ok(model.converged);
      // sklearn's lbfgs stops about 1e-5 short of the optimum that Newton's method reaches.
      assertClose(model.coefficients.flat(), ref.coef.flat(), 0, 1e-4);
      // Multinomial intercepts are defined up to a shared constant: compare them centred.
      assertClose(model.intercepts, kind === 'binary' ? ref.intercept : centred(ref.intercept), 0, 1e-4);
      assertClose(model.predictProba(ref.X_test).flat(), ref.proba.flat(), 0, 1e-5);
      const ours = objective(model.coefficients, model.intercepts, ref.X, ref.y, ref.C);
      const theirs = objective(ref.coef, ref.intercept, ref.X, ref.y, ref.C);
      assert.ok(ours <= theirs + 1e-12, `objective ${ours} vs sklearn ${theirs}`);
    });
  }

  it('separates Gaussian blobs and keeps the original labels', async () => {
    const data = makeBlobs({
      nSamples: 900,
      centers: [
        [0, 0, 0],
        [4, 0, 1],
        [0, 4, -1],
      ],
      clusterStd: 1,
      seed: 3,
    });
    const y = data.y.map((k) => [2, 5, 9][k]!);
    const model = trainLogisticRegression(data.X, y);
    assert.deepEqual(model.classes, [2, 5, 9]);
    assert.ok(accuracy(model.predict(data.X), y) > 0.93);
    await assertOnnxClassifierAgrees(model, data.X);
  });

  it('binary model exports label and [1 − p, p] that onnxruntime reproduces', async () => {
    const data = makeBlobs({ nSamples: 400, nFeatures: 4, centers: 2, clusterStd: 4, seed: 4 });
    const model = trainLogisticRegression(data.X, data.y, { c: 0.1 });
    assert.equal(model.coefficients.length, 1);
    assert.ok(accuracy(model.predict(data.X), data.y) > 0.85);
    await assertOnnxClassifierAgrees(model, data.X);
  });

  it('stronger regularisation shrinks the coefficients', () => {
    const ref = fx.binary;
    const norm = (m: LogisticRegressionModel) => Math.hypot(...m.coefficients.flat());
    assert.ok(
      norm(trainLogisticRegression(ref.X, ref.y, { c: 0.01 })) <
        norm(trainLogisticRegression(ref.X, ref.y, { c: 10 })),
    );
  });

  it('rejects bad labels and options', () => {
    const invalid = (e: unknown) => e instanceof OspreyError && e.code === 'INVALID_ARGUMENT';
    assert.throws(() => trainLogisticRegression([[1], [2]], [1, 1]), invalid);
    assert.throws(() => trainLogisticRegression([[1], [2]], [0.5, 1]), invalid);
    assert.throws(() => trainLogisticRegression([[1], [2]], [0, 1], { c: 0 }), invalid);
  });
});
