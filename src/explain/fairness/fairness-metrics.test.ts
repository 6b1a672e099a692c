import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  demographicParityDifference,
  demographicParityRatio,
  equalizedOddsDifference,
  equalOpportunityDifference,
  FOUR_FIFTHS_CAVEAT,
  fairnessReport,
} from './fairness-metrics.js';
import { groupRates } from './group-rates.js';

// Hand-computed example (all expected values below are worked out in these comments):
//   A (5 rows): y = 1 1 1 0 0, yhat = 1 1 0 1 0 -> TP 2, FN 1, FP 1, TN 1: SR 3/5, TPR 2/3, FPR 1/2
//   B (5 rows): y = 1 1 0 0 0, yhat = 1 0 0 0 0 -> TP 1, FN 1, FP 0, TN 3: SR 1/5, TPR 1/2, FPR 0
//   C (4 rows): y = 1 0 0 0,   yhat = 1 1 0 0   -> TP 1, FN 0, FP 1, TN 2: SR 2/4, TPR 1,   FPR 1/3
//   overall (14): TP 4, FN 2, FP 2, TN 6: SR 6/14 = 3/7, TPR 2/3, FPR 1/4
const yTrue = [1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0];
const yPred = [1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0];
const group = ['A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B', 'C', 'C', 'C', 'C'];
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

describe('group rates', () => {
  it('counts and rates per group and overall', () => {
    const r = groupRates(yTrue, yPred, group);
    assert.deepEqual(
      r.groups.map((g) => [g.group, g.count, g.tp, g.fn, g.fp, g.tn]),
      [
        ['A', 5, 2, 1, 1, 1],
        ['B', 5, 1, 1, 0, 3],
        ['C', 4, 1, 0, 1, 2],
      ],
    );
    close(r.groups[0]!.selectionRate, 0.6, 'SR A');
    close(r.groups[2]!.fpr, 1 / 3, 'FPR C');
    close(r.overall.selectionRate, 3 / 7, 'SR overall');
    close(r.overall.fpr, 0.25, 'FPR overall');
  });

  it('reports a rate with no denominator as 0 (as Fairlearn) and flags it', () => {
    // Group D has no actual positives: TPR and FNR are 0/0.
    const r = groupRates([0, 0, 1], [0, 1, 1], ['D', 'D', 'E']);
    const d = r.groups[0]!;
    assert.equal(d.tpr, 0);
    assert.deepEqual(d.undefinedRates, ['tpr', 'fnr']);
    assert.equal(d.fpr, 0.5);
  });

  it('weights rows and intersects several sensitive columns', () => {
    // Doubling B's true positive: TP 2, FN 1, FP 0, TN 3 -> SR 2/6, TPR 2/3.
    const w = group.map((_, i) => (i === 5 ? 2 : 1));
    const b = groupRates(yTrue, yPred, group, { sampleWeight: w }).groups[1]!;
    close(b.selectionRate, 1 / 3, 'weighted SR B');
    close(b.tpr, 2 / 3, 'weighted TPR B');
    assert.equal(b.count, 5);
    assert.equal(b.weight, 6);
    const sex = ['f', 'm', 'f', 'm', 'f', 'm', 'f', 'm', 'f', 'm', 'f', 'm', 'f', 'm'];
    const r = groupRates(yTrue, yPred, { group, sex });
    assert.equal(r.groups.length, 6);
    assert.equal(r.groups[0]!.group, 'group=A, sex=f');
    assert.equal(r.groups[0]!.count, 3);
  });
});

describe('Fairlearn disparity metrics (between groups)', () => {
  const r = fairnessReport(yTrue, yPred, group);
  it('demographic parity: 3/5 - 1/5 = 0.4 and (1/5)/(3/5) = 1/3', () => {
    close(r.demographicParityDifference, 0.4, 'DPD');
    close(r.demographicParityRatio, 1 / 3, 'DPR');
    close(demographicParityDifference(yTrue, yPred, group), 0.4, 'DPD fn');
    close(demographicParityRatio(yTrue, yPred, group), 1 / 3, 'DPR fn');
  });

  it('equal opportunity: TPR 1 - 1/2 = 0.5, ratio 0.5', () => {
    close(r.equalOpportunityDifference, 0.5, 'EOpD');
    close(r.equalOpportunityRatio, 0.5, 'EOpR');
    close(equalOpportunityDifference(yTrue, yPred, group), 0.5, 'EOpD fn');
  });

  it('equalized odds: max(TPR diff 0.5, FPR diff 1/2 - 0) = 0.5, ratio min(0.5, 0/0.5) = 0', () => {
    close(r.truePositiveRateDifference, 0.5, 'TPR diff');
    close(r.falsePositiveRateDifference, 0.5, 'FPR diff');
    close(r.equalizedOddsDifference, 0.5, 'EOD');
    close(r.equalizedOddsRatio, 0, 'EOR');
    close(equalizedOddsDifference(yTrue, yPred, group), 0.5, 'EOD fn');
    const mean = fairnessReport(yTrue, yPred, group, { agg: 'mean' });
    close(mean.equalizedOddsDifference, 0.5, 'EOD mean');
    close(mean.equalizedOddsRatio, 0.25, 'EOR mean');
  });

  it('to_overall: max |SR - 3/7| = |1/5 - 3/7| = 8/35; min folded ratio = (1/5)/(3/7) = 7/15', () => {
    const o = fairnessReport(yTrue, yPred, group, { method: 'to_overall' });
    close(o.demographicParityDifference, 8 / 35, 'DPD to_overall');
    close(o.demographicParityRatio, 7 / 15, 'DPR to_overall');
  });
});

describe('disparate impact and the four-fifths rule', () => {
  it('compares each group with the highest selection rate by default and flags ratios below 0.8', () => {
    const di = fairnessReport(yTrue, yPred, group).disparateImpact;
    assert.equal(di.referenceGroup, 'A');
    // B: (1/5)/(3/5) = 1/3 flagged; C: (2/4)/(3/5) = 5/6 passes.
    assert.deepEqual(
      di.ratios.map((r) => [r.group, r.flagged]),
      [
        ['B', true],
        ['C', false],
      ],
    );
    close(di.ratios[1]!.ratio, 5 / 6, 'C ratio');
    close(di.minRatio, 1 / 3, 'min ratio');
    assert.equal(di.fourFifthsRuleViolated, true);
    assert.equal(di.caveat, FOUR_FIFTHS_CAVEAT);
    assert.match(di.caveat, /not by itself proof/);
  });

  it('uses a given reference (privileged) group, AIF360-style ratios may exceed 1', () => {
    const di = fairnessReport(yTrue, yPred, group, { referenceGroup: 'C', threshold: 0.5 }).disparateImpact;
    close(di.ratios[0]!.ratio, 1.2, 'A over C');
    close(di.ratios[1]!.ratio, 0.4, 'B over C');
    assert.deepEqual(
      di.ratios.map((r) => r.flagged),
      [false, true],
    );
    assert.throws(() => fairnessReport(yTrue, yPred, group, { referenceGroup: 'Z' }), /does not occur/);
  });

  it('passes when all selection rates are within four fifths of the highest', () => {
    const di = fairnessReport([1, 0, 1, 0], [1, 1, 1, 1], ['x', 'x', 'y', 'y']).disparateImpact;
    assert.equal(di.fourFifthsRuleViolated, false);
    assert.equal(di.minRatio, 1);
  });
});
