import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeTo, loadReferenceValues, materialise } from '../fixtures/reference-values.js';
import { durbinMatrixCdf, kolmogorovSf, ks2Samp, pelzGoodCdf, smirnovSf } from './index.js';

// Expected values: scipy.stats.ks_2samp(method='auto'), scipy.stats.kstwo.sf and scipy.special.smirnov, from
// fixtures/make-reference.py (versions recorded in the JSON).
const ref = loadReferenceValues();

describe('ks2Samp against scipy.stats.ks_2samp', () => {
  for (const c of ref.ks2samp) {
    it(`${c.note} (${c.alternative}${c.regime ? `, ${c.regime}` : ''})`, () => {
      const r = ks2Samp(materialise(c.x), materialise(c.y), { alternative: c.alternative });
      assert.ok(closeTo(r.statistic, c.statistic, 1e-12), `D ${r.statistic} vs ${c.statistic}`);
      assert.ok(closeTo(r.pValue, c.pValue, 1e-6), `p ${r.pValue} vs scipy ${c.pValue}`);
    });
  }
});

describe('kolmogorovSf against scipy.stats.kstwo.sf', () => {
  it('agrees within 1e-6 relative over all regimes', () => {
    for (const c of ref.kstwoSf) {
      const p = kolmogorovSf(c.n, c.x);
      assert.ok(closeTo(p, c.sf, 1e-6, 1e-300), `n=${c.n} x=${c.x}: ${p} vs ${c.sf}`);
    }
  });
});

describe('smirnovSf against scipy.special.smirnov', () => {
  it('agrees within 1e-6 relative, including n = 1 and the x <= 1/n edge', () => {
    for (const c of ref.smirnovSf) {
      const p = smirnovSf(c.n, c.x);
      assert.ok(closeTo(p, c.sf, 1e-6, 1e-300), `n=${c.n} x=${c.x}: ${p} vs ${c.sf}`);
    }
  });
});

describe('KS building blocks', () => {
  it('exact small case by hand: n = m = 2, D = 1 has p = 2/C(4,2) = 1/3', () => {
    const r = ks2Samp([1, 2], [3, 4]);
    assert.equal(r.statistic, 1);
    assert.ok(Math.abs(r.pValue - 1 / 3) < 1e-15);
    assert.equal(r.method, 'exact');
  });

  it('identical samples give D = 0 and p = 1', () => {
    const r = ks2Samp([1, 2, 3, 3], [3, 2, 1, 3]);
    assert.equal(r.statistic, 0);
    assert.equal(r.pValue, 1);
  });

  it('Durbin matrix and Pelz-Good agree where both are accurate (n = 2000)', () => {
    for (const x of [0.02, 0.03, 0.04]) {
      assert.ok(Math.abs(durbinMatrixCdf(2000, x) - pelzGoodCdf(2000, x)) < 1e-7);
    }
  });

  it('switches to the asymptotic method above 10 000 values', () => {
    const big = Array.from({ length: 10001 }, (_, i) => i / 10001);
    assert.equal(ks2Samp(big, [0.1, 0.5, 0.9]).method, 'asymp');
    assert.equal(ks2Samp(big.slice(0, 10000), [0.1, 0.5, 0.9]).method, 'exact');
  });

  it('rejects empty and non-finite samples', () => {
    assert.throws(() => ks2Samp([], [1]), /non-empty/);
    assert.throws(() => ks2Samp([1, Number.NaN], [1]), /non-finite/);
  });
});
