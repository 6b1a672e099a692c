import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeArrays, loadMetricsFixture } from '../test-support/fixtures.js';
import { averagePrecision, precisionRecallCurve, rocAuc, rocCurve } from './binary-curves.js';
import { calibrationCurve } from './calibration.js';

// Reference values: src/explain/fixtures/metrics.json from src/explain/fixtures/make-metrics.py (scikit-learn 1.2.1):
// roc_curve, roc_auc_score, precision_recall_curve, average_precision_score and calibration_curve
// on 300 scores with ties, unweighted and with sample weights (five of them zero).
const b = loadMetricsFixture().binary as {
  y: number[];
  score: number[];
  weight: number[];
  [key: string]: unknown;
};
type Curve = Record<string, number[]>;
const TOL = 1e-12;

describe('ROC curve and AUC against sklearn', () => {
  for (const drop of [true, false]) {
    it(`roc_curve(drop_intermediate=${drop})`, () => {
      const ref = b[`roc_drop_${drop ? 'True' : 'False'}`] as Curve;
      const r = rocCurve(b.y, b.score, { dropIntermediate: drop });
      closeArrays(r.fpr, ref.fpr!, TOL, 'fpr');
      closeArrays(r.tpr, ref.tpr!, TOL, 'tpr');
      // sklearn 1.2 puts max(score) + 1 first; we follow sklearn >= 1.3 (+Infinity), the rest agrees.
      assert.equal(r.thresholds[0], Number.POSITIVE_INFINITY);
      closeArrays(r.thresholds.slice(1), ref.thresholds!, TOL, 'thresholds');
    });
  }

  it('dropIntermediate removes collinear points only', () => {
    const full = rocCurve(b.y, b.score, { dropIntermediate: false });
    const dropped = rocCurve(b.y, b.score);
    assert.ok(dropped.fpr.length < full.fpr.length);
  });

  it('roc_curve and roc_auc_score with sample weights', () => {
    const ref = b.roc_weighted as Curve;
    const r = rocCurve(b.y, b.score, { sampleWeight: b.weight });
    closeArrays(r.fpr, ref.fpr!, TOL, 'fpr');
    closeArrays(r.tpr, ref.tpr!, TOL, 'tpr');
    closeArrays(r.thresholds.slice(1), ref.thresholds!, TOL, 'thresholds');
    assert.ok(
      Math.abs(rocAuc(b.y, b.score, { sampleWeight: b.weight }) - (b.roc_auc_weighted as number)) < TOL,
    );
    assert.ok(Math.abs(rocAuc(b.y, b.score) - (b.roc_auc as number)) < TOL);
  });

  it('hand example: perfect ranking gives AUC 1, a tie between classes counts half', () => {
    assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
    // One positive tied with one negative at 0.5, the others separated: AUC = (3 + 0.5) / 4.
    assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.9]), 0.875);
    assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), /only one class/);
    assert.throws(() => rocAuc([0, 1, 2], [0.2, 0.3, 0.4]), /at most 2 classes/);
  });
});

describe('precision-recall curve and average precision against sklearn', () => {
  it('precision_recall_curve, unweighted and weighted', () => {
    for (const [key, opts] of [
      ['pr', {}],
      ['pr_weighted', { sampleWeight: b.weight }],
    ] as const) {
      const ref = b[key] as Curve;
      const r = precisionRecallCurve(b.y, b.score, opts);
      closeArrays(r.precision, ref.precision!, TOL, `${key} precision`);
      closeArrays(r.recall, ref.recall!, TOL, `${key} recall`);
      closeArrays(r.thresholds, ref.thresholds!, TOL, `${key} thresholds`);
    }
  });

  it('average_precision_score, unweighted and weighted', () => {
    assert.ok(Math.abs(averagePrecision(b.y, b.score) - (b.average_precision as number)) < TOL);
    assert.ok(
      Math.abs(
        averagePrecision(b.y, b.score, { sampleWeight: b.weight }) - (b.average_precision_weighted as number),
      ) < TOL,
    );
  });
});

describe('calibration curve against sklearn', () => {
  for (const strategy of ['uniform', 'quantile'] as const) {
    for (const nBins of [5, 10]) {
      it(`calibration_curve(strategy='${strategy}', n_bins=${nBins})`, () => {
        const ref = b[`calibration_${strategy}_${nBins}`] as Record<string, number[]>;
        const r = calibrationCurve(b.y, b.score, { strategy, nBins });
        closeArrays(r.probTrue, ref.prob_true!, TOL, 'prob_true');
        closeArrays(r.probPred, ref.prob_pred!, TOL, 'prob_pred');
        assert.equal(
          r.bins.reduce((a, x) => a + x.count, 0),
          b.y.length,
        );
      });
    }
  }

  it('hand example: edges go to the lower bin; ECE weights gaps by bin share', () => {
    // Uniform 2 bins, edge 0.5: scores 0.2 and 0.5 fall in bin 0 (0.5 is on the edge), 0.9 in bin 1.
    const r = calibrationCurve([0, 1, 1], [0.2, 0.5, 0.9], { nBins: 2 });
    assert.deepEqual(
      r.bins.map((x) => x.count),
      [2, 1],
    );
    assert.deepEqual(r.probTrue, [0.5, 1]);
    // gaps: |0.5 - 0.35| = 0.15 (2 rows), |1 - 0.9| = 0.1 (1 row): ECE = (2 * 0.15 + 0.1) / 3.
    assert.ok(Math.abs(r.ece - 0.4 / 3) < 1e-15);
    assert.ok(Math.abs(r.mce - 0.15) < 1e-15);
  });
});
