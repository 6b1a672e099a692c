import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { closeTo, loadReferenceValues } from '../fixtures/reference-values.js';
import { ks2Samp } from '../stats/index.js';
import type { DriftResult } from '../types.js';
import { TabularDriftDetector } from './tabular-drift.js';

const ref = loadReferenceValues();

function normals(n: number, seed: number, shift = 0): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.normal() + shift);
}

/** Expands category counts into a column: counts[i] copies of labels[i]. */
function expand(labels: string[], counts: number[]): string[] {
  return labels.flatMap((label, i) => Array.from({ length: counts[i] as number }, () => label));
}

const feature = (r: DriftResult, name: string) => {
  const f = r.perFeature?.find((x) => x.feature === name);
  assert.ok(f, `feature ${name} missing`);
  return f;
};

describe('TabularDriftDetector: automatic test choice (Evidently rules)', () => {
  it('small reference: ks for numerical, chi2 for categorical, z for binary', () => {
    const reference = {
      num: normals(200, 1),
      cat: expand(['a', 'b', 'c'], [70, 70, 60]),
      bin: expand(['yes', 'no'], [100, 100]),
      few: Array.from({ length: 200 }, (_, i) => i % 4),
    };
    const current = {
      num: normals(150, 2, 0.5),
      cat: expand(['a', 'b', 'c'], [50, 50, 50]),
      bin: expand(['yes', 'no'], [75, 75]),
      few: Array.from({ length: 150 }, (_, i) => i % 4),
    };
    const r = new TabularDriftDetector().fit(reference).predict(current);
    assert.equal(feature(r, 'num').test, 'ks');
    assert.equal(feature(r, 'cat').test, 'chi2');
    assert.equal(feature(r, 'bin').test, 'z');
    assert.equal(feature(r, 'few').test, 'chi2');
    assert.equal(feature(r, 'num').isDrift, true);
    // the KS p-value is exactly the standalone test's
    assert.equal(feature(r, 'num').pValue, ks2Samp(reference.num, current.num).pValue);
    assert.equal(r.distance, 0.25);
    assert.equal(r.isDrift, false);
    assert.equal(r.method, 'share>=0.5');
  });

  it('large reference (> 1000 rows): normalised Wasserstein and Jensen–Shannon', () => {
    const reference = { num: normals(1200, 3), cat: expand(['a', 'b', 'c'], [400, 400, 400]) };
    const current = { num: normals(300, 4, 0.3), cat: expand(['a', 'b', 'c'], [200, 50, 50]) };
    const r = new TabularDriftDetector().fit(reference).predict(current);
    assert.equal(feature(r, 'num').test, 'wasserstein');
    assert.equal(feature(r, 'cat').test, 'jensen-shannon');
    assert.equal(feature(r, 'num').isDrift, true); // shift 0.3 sd >= 0.1
    assert.equal(feature(r, 'cat').isDrift, true);
    assert.equal(r.isDrift, true);
  });
});

describe('TabularDriftDetector: categorical edge cases stay finite', () => {
  it('categories unseen in the reference: chi2 equals scipy chi2_contingency on the union table', () => {
    const c = ref.chi2Contingency.find((x) => x.note === 'two categories unseen in reference');
    assert.ok(c);
    const labels = ['a', 'b', 'c', 'd', 'e'];
    const reference = { cat: expand(labels, c.table[0] as number[]) };
    const current = { cat: expand(labels, c.table[1] as number[]) };
    const f = feature(new TabularDriftDetector({ test: 'chi2' }).fit(reference).predict(current), 'cat');
    assert.ok(closeTo(f.pValue as number, c.pValue, 1e-6));
    assert.ok(closeTo(f.distance, c.statistic, 1e-12));
  });

  it('a reference category absent from the current data, and a constant column', () => {
    const r = new TabularDriftDetector({ test: 'chi2' })
      .fit({ cat: expand(['a', 'b', 'c'], [5, 5, 5]), constant: expand(['k'], [15]) })
      .predict({ cat: expand(['a', 'b'], [6, 6]), constant: expand(['k'], [12]) });
    for (const f of r.perFeature ?? []) {
      assert.ok(Number.isFinite(f.distance) && Number.isFinite(f.pValue as number));
    }
    assert.equal(feature(r, 'constant').pValue, 1);
  });

  it('Fisher on a binary feature where the current data shows a value the reference never had', () => {
    const r = new TabularDriftDetector({ test: 'fisher' })
      .fit({ flag: Array.from({ length: 20 }, () => 0) })
      .predict({ flag: [0, 0, 0, 1, 1, 1, 1, 1] });
    const f = feature(r, 'flag');
    assert.ok(Number.isFinite(f.pValue as number) && (f.pValue as number) < 0.05);
    assert.equal(f.isDrift, true);
  });

  it('PSI and Jensen–Shannon on categories unseen in the reference stay finite', () => {
    for (const test of ['psi', 'jensen-shannon'] as const) {
      const f = feature(
        new TabularDriftDetector({ test })
          .fit({ c: expand(['x', 'y'], [10, 10]) })
          .predict({ c: expand(['y', 'z'], [5, 5]) }),
        'c',
      );
      assert.ok(Number.isFinite(f.distance) && f.distance > 0, `${test} ${f.distance}`);
    }
  });
});

describe('TabularDriftDetector: combination and I/O', () => {
  const reference = [0, 1, 2, 3].map((k) => normals(100, 10 + k));
  const current = [0, 1, 2, 3].map((k) => normals(100, 20 + k, k === 0 ? 1 : 0));
  const asColumns = (cols: number[][]) => Object.fromEntries(cols.map((c, i) => [`f${i}`, c]));

  it('Bonferroni: one strongly shifted feature of four makes the dataset drift', () => {
    const r = new TabularDriftDetector({ combine: 'bonferroni' })
      .fit(asColumns(reference))
      .predict(asColumns(current));
    assert.equal(r.isDrift, true);
    assert.equal(r.threshold, 0.05 / 4);
    assert.equal(r.method, 'bonferroni');
    assert.equal(feature(r, 'f0').isDrift, true);
    assert.ok(r.pValue !== undefined && r.pValue < r.threshold);
  });

  it('share rule: one of four features is below the 0.5 share', () => {
    const r = new TabularDriftDetector().fit(asColumns(reference)).predict(asColumns(current));
    assert.equal(r.isDrift, false);
  });

  it('a distance test with a p-value correction is refused', () => {
    assert.throws(() => new TabularDriftDetector({ combine: 'fdr', test: 'psi' }), /p-value tests/);
  });

  it('accepts array rows with feature names and record rows, and skips missing data', () => {
    const rows = reference[0]?.map((v, i) => [v, (reference[1] as number[])[i] as number]) ?? [];
    const d = new TabularDriftDetector({ featureNames: ['a', 'b'] }).fit(rows);
    const recordRows = rows.map(([a]) => ({ a, b: null }));
    const r = d.predict(recordRows);
    assert.deepEqual(r.skippedFeatures, ['b']);
    assert.equal(r.perFeature?.length, 1);
  });

  it('round-trips through JSON and predicts the same', () => {
    const d = new TabularDriftDetector({ test: 'auto', psiBins: 5 }).fit({
      num: normals(50, 1),
      cat: expand(['a', 'b', 'c'], [20, 20, 10]),
    });
    const restored = TabularDriftDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    const cur = { num: normals(40, 2, 0.2), cat: expand(['a', 'c', 'd'], [10, 20, 10]) };
    assert.deepEqual(restored.predict(cur), d.predict(cur));
  });

  it('predict before fit and schema mismatches are INVALID_ARGUMENT', () => {
    assert.throws(() => new TabularDriftDetector().predict({ a: [1] }), { code: 'INVALID_ARGUMENT' });
    const d = new TabularDriftDetector().fit({ a: [1, 2, 3] });
    assert.throws(() => d.predict({ b: [1, 2] }), /no feature "a"/);
    assert.throws(() => d.predict({ a: ['x', 'y'] }), /non-numeric/);
  });
});
