import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeTo, loadReferenceValues, materialise } from '../fixtures/reference-values.js';
import { cramerVonMises2Samp, cvmLimitCdf } from './index.js';

// Expected values: scipy.stats.cramervonmises_2samp(method='auto'), fixtures/make-reference.py.
const ref = loadReferenceValues();

describe('cramerVonMises2Samp against scipy.stats.cramervonmises_2samp', () => {
  for (const c of ref.cvm2samp) {
    it(c.note, () => {
      const r = cramerVonMises2Samp(materialise(c.x), materialise(c.y));
      assert.ok(closeTo(r.statistic, c.statistic, 1e-12, 1e-15), `T ${r.statistic} vs ${c.statistic}`);
      // scipy forms asymptotic p-values as 1 − cdf, so below ~1e-8 only ~1e-15 absolute is meaningful.
      assert.ok(closeTo(r.pValue, c.pValue, 1e-6, 2e-15), `p ${r.pValue} vs scipy ${c.pValue}`);
    });
  }
});

describe('Cramér–von Mises details', () => {
  it('uses the exact distribution up to 20 values and the limit beyond', () => {
    const small = Array.from({ length: 20 }, (_, i) => i);
    assert.equal(cramerVonMises2Samp(small, [0.5, 3.5, 7]).method, 'exact');
    assert.equal(cramerVonMises2Samp([...small, 21], [0.5, 3.5, 7]).method, 'asymptotic');
  });

  it('exact p-value of complete separation with m = n = 2 is 2/C(4,2)', () => {
    // Paths xxyy and yyxx share the largest ζ.
    const r = cramerVonMises2Samp([1, 2], [3, 4]);
    assert.ok(Math.abs(r.pValue - 1 / 3) < 1e-15);
  });

  it('limiting cdf is a distribution function: increasing from 0 towards 1', () => {
    const xs = [0.01, 0.05, 0.1, 0.3, 0.5, 1, 2];
    const values = xs.map(cvmLimitCdf);
    for (let i = 1; i < values.length; i++) assert.ok((values[i] as number) > (values[i - 1] as number));
    assert.ok((values[0] as number) < 1e-5);
    assert.ok((values[values.length - 1] as number) > 0.999);
  });

  it('refuses samples with fewer than two values, and exact requests that would take too long', () => {
    assert.throws(() => cramerVonMises2Samp([1], [1, 2]), /at least two/);
    const x = Array.from({ length: 40 }, (_, i) => i);
    const y = Array.from({ length: 39 }, (_, i) => i + 0.5);
    assert.throws(() => cramerVonMises2Samp(x, y, { method: 'exact' }), /too costly/);
  });
});
