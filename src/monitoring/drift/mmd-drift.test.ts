import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { kolmogorovSf } from '../stats/index.js';
import { MmdDriftDetector } from './mmd-drift.js';
import { medianHeuristicSigma } from './rbf-kernel.js';

function gaussianRows(n: number, d: number, seed: number, shift = 0): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() + shift));
}

/** One-sample KS p-value of `values` against U(0, 1) (two-sided, exact Kolmogorov distribution). */
function uniformKsPValue(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  let d = 0;
  s.forEach((v, i) => {
    d = Math.max(d, (i + 1) / n - v, v - i / n);
  });
  return kolmogorovSf(n, d);
}

describe('MmdDriftDetector', () => {
  it('detects a mean shift and not a same-distribution batch', () => {
    const reference = gaussianRows(60, 3, 1);
    const detector = new MmdDriftDetector({ seed: 7 }).fit(reference);
    const shifted = detector.predict(gaussianRows(50, 3, 2, 1));
    assert.equal(shifted.isDrift, true);
    assert.equal(shifted.pValue, 0);
    assert.ok(shifted.distance > (shifted.distanceThreshold as number));
    const same = detector.predict(gaussianRows(50, 3, 3));
    assert.equal(same.isDrift, false);
  });

  it('median heuristic: σ = √(median d²/2); for points 0, 1, 3 on a line d² ∈ {1, 4, 9}', () => {
    assert.equal(medianHeuristicSigma([[0], [1], [3]], createRng(0)), Math.sqrt(2));
  });

  it('permutation p-values are uniform under the null (200 seeds, KS against U(0,1) not rejected at 0.01)', () => {
    for (const plusOne of [false, true]) {
      const pValues: number[] = [];
      for (let seed = 0; seed < 200; seed++) {
        const data = gaussianRows(30, 2, 1000 + seed);
        const detector = new MmdDriftDetector({ seed, nPermutations: 100, plusOne }).fit(data.slice(0, 15));
        pValues.push(detector.predict(data.slice(15)).pValue as number);
      }
      const p = uniformKsPValue(pValues);
      assert.ok(p > 0.01, `plusOne=${plusOne}: KS p = ${p}`);
    }
  });

  it('is reproducible from its seed and resumes identically after toJSON/fromJSON', () => {
    const reference = gaussianRows(20, 2, 5);
    const a = new MmdDriftDetector({ seed: 3, nPermutations: 50 }).fit(reference);
    const b = new MmdDriftDetector({ seed: 3, nPermutations: 50 }).fit(reference);
    const batch1 = gaussianRows(15, 2, 6, 0.3);
    const batch2 = gaussianRows(15, 2, 8, 0.3);
    assert.deepEqual(a.predict(batch1), b.predict(batch1));
    const restored = MmdDriftDetector.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    assert.deepEqual(restored.predict(batch2), a.predict(batch2));
  });

  it('validates shapes and the pooled-size cap', () => {
    const d = new MmdDriftDetector({ maxPooled: 10 }).fit(gaussianRows(6, 2, 1));
    assert.throws(() => d.predict([[1, 2, 3]]), /does not have 2 values/);
    assert.throws(() => d.predict(gaussianRows(6, 2, 2)), { code: 'RESOURCE_EXHAUSTED' });
  });
});
