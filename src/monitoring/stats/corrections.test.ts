import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aucTest, benjaminiHochberg, bonferroni } from './index.js';

describe('multiple-testing corrections (Alibi Detect semantics, strict <)', () => {
  it('Bonferroni divides the level by the number of tests', () => {
    const r = bonferroni([0.01, 0.02, 0.3], 0.05);
    assert.ok(Math.abs(r.threshold - 0.05 / 3) < 1e-15);
    assert.deepEqual(r.rejected, [true, false, false]);
    assert.equal(r.isDrift, true);
  });

  it('Benjamini–Hochberg rejects the k smallest with p_(k) < q k / n', () => {
    // sorted: 0.001 < .0125, 0.012 < .025, 0.03 < .0375, 0.2 >= .05  → k = 3
    const r = benjaminiHochberg([0.2, 0.012, 0.001, 0.03], 0.05);
    assert.ok(Math.abs(r.threshold - 0.0375) < 1e-15);
    assert.deepEqual(r.rejected, [false, true, true, true]);
  });

  it('Benjamini–Hochberg step-up rejects a p-value that fails its own bound if a later one passes', () => {
    // p_(1) = 0.02 > 0.05/2 but p_(2) = 0.04 < 0.05 → both rejected.
    const r = benjaminiHochberg([0.04, 0.02], 0.05);
    assert.deepEqual(r.rejected, [true, true]);
  });

  it('nothing rejected: threshold is q/n and no drift', () => {
    const r = benjaminiHochberg([0.5, 0.9], 0.05);
    assert.equal(r.isDrift, false);
    assert.equal(r.threshold, 0.025);
  });
});

describe('AUC with Mann–Whitney p-value', () => {
  it('perfect separation gives AUC 1 and a small p; ties count half', () => {
    const r = aucTest([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9], [0, 0, 0, 0, 1, 1, 1, 1]);
    assert.equal(r.auc, 1);
    // U = 16, mean 8, variance 16·9/12 = 12 → z = 8/√12
    assert.ok(Math.abs(r.z - 8 / Math.sqrt(12)) < 1e-12);
    assert.ok(r.pValue < 0.05);
    assert.equal(aucTest([0.5, 0.5], [0, 1]).auc, 0.5);
  });
});
