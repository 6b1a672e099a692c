import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeTo, loadReferenceValues } from '../fixtures/reference-values.js';
import { chi2Contingency, fisherExact } from './index.js';

// Expected values: scipy.stats.chi2_contingency (defaults) and scipy.stats.fisher_exact,
// fixtures/make-reference.py.
const ref = loadReferenceValues();

describe('chi2Contingency against scipy.stats.chi2_contingency', () => {
  for (const c of ref.chi2Contingency) {
    it(c.note, () => {
      const r = chi2Contingency(c.table);
      assert.equal(r.dof, c.dof);
      assert.ok(closeTo(r.statistic, c.statistic, 1e-12), `chi2 ${r.statistic} vs ${c.statistic}`);
      assert.ok(closeTo(r.pValue, c.pValue, 1e-6), `p ${r.pValue} vs scipy ${c.pValue}`);
    });
  }

  it('Yates correction applies only when dof = 1, and can be turned off', () => {
    const table = [
      [10, 20],
      [30, 25],
    ];
    assert.ok(chi2Contingency(table).statistic < chi2Contingency(table, { correction: false }).statistic);
  });

  it('a single column (dof 0) gives statistic 0 and p = 1', () => {
    assert.deepEqual(
      { s: chi2Contingency([[4], [7]]).statistic, p: chi2Contingency([[4], [7]]).pValue },
      { s: 0, p: 1 },
    );
  });

  it('an all-zero column is an error the caller can act on', () => {
    assert.throws(
      () =>
        chi2Contingency([
          [1, 0],
          [2, 0],
        ]),
      /sums to zero/,
    );
  });
});

describe('fisherExact against scipy.stats.fisher_exact', () => {
  for (const c of ref.fisherExact) {
    it(`${JSON.stringify(c.table)} ${c.alternative}`, () => {
      const r = fisherExact(c.table, c.alternative);
      assert.ok(closeTo(r.pValue, c.pValue, 1e-6), `p ${r.pValue} vs scipy ${c.pValue}`);
      if (c.oddsRatio === 'Infinity') assert.equal(r.oddsRatio, Number.POSITIVE_INFINITY);
      else if (c.oddsRatio === null)
        assert.equal(r.oddsRatio, 1); // scipy: NaN; we report 1, never NaN
      else assert.ok(closeTo(r.oddsRatio, c.oddsRatio, 1e-12));
    });
  }

  it('rejects tables that are not 2x2 counts', () => {
    assert.throws(() => fisherExact([[1, 2, 3]]), /2x2/);
    assert.throws(
      () =>
        fisherExact([
          [1, 2.5],
          [3, 4],
        ]),
      /integer/,
    );
  });
});
