import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { closeTo, loadReferenceValues } from '../fixtures/reference-values.js';
import { kolmogorovSf } from '../stats/index.js';
import { ClassifierDriftDetector } from './classifier-drift.js';
import { fitLogisticRegression, predictLogistic } from './logistic-regression.js';

function gaussianRows(n: number, d: number, seed: number, shift = 0): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() + shift));
}

describe('logistic regression', () => {
  it('matches scikit-learn LogisticRegression(C = 1/l2) coefficients', () => {
    // Expected: sklearn.linear_model.LogisticRegression(C=2, newton-cholesky, tol=1e-14), fixtures/make-reference.py
    const c = loadReferenceValues().logistic;
    const model = fitLogisticRegression(c.x, c.y, { l2: c.l2 });
    c.weights.forEach((w, k) => {
      assert.ok(closeTo(model.weights[k] as number, w, 1e-6, 1e-8), `w${k}`);
    });
    assert.ok(closeTo(model.intercept, c.intercept, 1e-6, 1e-8));
  });

  it('stays finite on perfectly separable data thanks to the penalty', () => {
    const x = [[-2], [-1], [1], [2]];
    const model = fitLogisticRegression(x, [0, 0, 1, 1], { l2: 0.1 });
    const p = predictLogistic(model, x);
    assert.ok(p.every(Number.isFinite));
    assert.ok((p[0] as number) < 0.1 && (p[3] as number) > 0.9);
  });
});

/** One-sample KS p-value of `values` against U(0, 1). */
function uniformKsPValue(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  let d = 0;
  s.forEach((v, i) => {
    d = Math.max(d, (i + 1) / s.length - v, v - i / s.length);
  });
  return kolmogorovSf(s.length, d);
}

describe('ClassifierDriftDetector', () => {
  it('detects a shift in one of four features (AUC well above 0.5)', () => {
    const reference = gaussianRows(80, 4, 1);
    const current = gaussianRows(80, 4, 2).map((r) => [(r[0] as number) + 0.8, ...r.slice(1)]);
    const r = new ClassifierDriftDetector({ seed: 1, nPermutations: 30 }).fit(reference).predict(current);
    assert.equal(r.isDrift, true);
    assert.ok(r.distance > 0.65, `AUC ${r.distance}`);
    assert.equal(r.pValue, 1 / 31); // no permutation reached the observed AUC
    assert.equal(r.method, 'classifier-auc-permutation');
  });

  it('Mann–Whitney mode reports the same cross-validated AUC with an analytic p-value', () => {
    const reference = gaussianRows(80, 4, 1);
    const current = gaussianRows(80, 4, 2).map((r) => [(r[0] as number) + 0.8, ...r.slice(1)]);
    const perm = new ClassifierDriftDetector({ seed: 1, nPermutations: 5 }).fit(reference).predict(current);
    const mw = new ClassifierDriftDetector({ seed: 1, pValueMethod: 'mann-whitney' })
      .fit(reference)
      .predict(current);
    assert.equal(mw.distance, perm.distance);
    assert.ok((mw.pValue as number) < 1e-4);
  });

  it('permutation p-values are valid under the null (40 seeds, KS against U(0,1) not rejected at 0.01)', () => {
    const pValues: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const d = new ClassifierDriftDetector({ seed, nPermutations: 19 }).fit(gaussianRows(15, 2, 100 + seed));
      pValues.push(d.predict(gaussianRows(15, 2, 200 + seed)).pValue as number);
    }
    assert.ok(uniformKsPValue(pValues) > 0.01);
  });

  it('saves and restores, continuing the same random stream', () => {
    const d = new ClassifierDriftDetector({ seed: 9, nFolds: 3, nPermutations: 5 }).fit(
      gaussianRows(30, 2, 1),
    );
    const restored = ClassifierDriftDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    const batch = gaussianRows(30, 2, 2, 0.2);
    assert.deepEqual(restored.predict(batch), d.predict(batch));
  });

  it('validates options and inputs', () => {
    assert.throws(() => new ClassifierDriftDetector({ nFolds: 1 }), { code: 'INVALID_ARGUMENT' });
    const d = new ClassifierDriftDetector().fit(gaussianRows(10, 2, 1));
    assert.throws(() => d.predict(gaussianRows(3, 2, 2)), /at least nFolds/);
  });
});
