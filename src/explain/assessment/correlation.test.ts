import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquareSf } from '../common/special.js';
import { loadMetricsFixture } from '../test-support/fixtures.js';
import {
  chiSquareIndependence,
  contingencyTable,
  correlationRatio,
  cramersV,
  pearson,
  spearman,
} from './correlation.js';
import { compareToReferenceSample, compareToReferenceShares } from './representativeness.js';

// Reference values: src/explain/fixtures/metrics.json from src/explain/fixtures/make-metrics.py (SciPy 1.10.1): pearsonr,
// spearmanr (data rounded to one decimal, so with ties), chi2_contingency(correction=False),
// contingency.association(method='cramer'), Bergsma's bias-corrected V computed with numpy from the
// same table, chisquare (goodness of fit), ks_2samp and chi2.sf.
const c = loadMetricsFixture().correlation as Record<string, unknown> & {
  x1: number[];
  x2: number[];
  ca: string[];
  cb: string[];
};
const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('correlations against SciPy', () => {
  it('Pearson and Spearman (average ranks for ties)', () => {
    close(pearson(c.x1, c.x2).value, c.pearson as number, 1e-12, 'pearson');
    close(spearman(c.x1, c.x2).value, c.spearman as number, 1e-12, 'spearman');
  });

  it("chi-squared independence and Cramer's V with and without bias correction", () => {
    const t = chiSquareIndependence(contingencyTable(c.ca, c.cb));
    close(t.statistic, c.chi2 as number, 1e-9, 'chi2');
    assert.equal(t.dof, c.chi2_dof);
    close(t.pValue, c.chi2_p as number, 1e-12, 'p');
    close(cramersV(c.ca, c.cb).value, c.cramers_v as number, 1e-12, 'V');
    close(
      cramersV(c.ca, c.cb, { biasCorrection: true }).value,
      c.cramers_v_bias_corrected as number,
      1e-12,
      'V~',
    );
  });

  it('chi-squared survival function', () => {
    for (const [x, k, p] of c.chi2_sf as [number, number, number][]) {
      close(chiSquareSf(x, k), p, 1e-13 + 1e-11 * p, `chi2.sf(${x}, ${k})`);
    }
  });

  it('goodness of fit and KS distance for representativeness', () => {
    const obs = c.gof_observed as number[];
    const ref = c.gof_reference as number[];
    const values = obs.flatMap((count, i) => new Array<string>(count).fill(`g${i}`));
    const r = compareToReferenceShares(values, Object.fromEntries(ref.map((p, i) => [`g${i}`, p])));
    close(r.chiSquare.statistic, c.gof_statistic as number, 1e-12, 'gof statistic');
    close(r.chiSquare.pValue, c.gof_p as number, 1e-12, 'gof p');
    close(
      compareToReferenceSample(c.ks_a as number[], c.ks_b as number[]).ksDistance,
      c.ks_statistic as number,
      1e-12,
      'ks',
    );
  });
});

describe('correlation hand examples', () => {
  it('skips missing pairs, NaN for constant columns, exact +-1 for linear relations', () => {
    assert.deepEqual(pearson([1, 2, null, 4], [2, 4, 100, 8]), { value: 1, n: 3 });
    assert.equal(spearman([1, 2, 3], [9, 4, 1]).value, -1);
    assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3]).value));
  });

  it("Cramer's V is 1 for a bijection, NaN for a single category", () => {
    assert.equal(cramersV(['a', 'b', 'a', 'b'], ['x', 'y', 'x', 'y']).value, 1);
    assert.ok(Number.isNaN(cramersV(['a', 'a'], ['x', 'y']).value));
  });

  it('correlation ratio: 1 when the group fixes the value, 0 when group means are equal', () => {
    assert.equal(correlationRatio(['a', 'a', 'b', 'b'], [1, 1, 5, 5]).value, 1);
    assert.equal(correlationRatio(['a', 'a', 'b', 'b'], [1, 3, 3, 1]).value, 0);
  });
});
