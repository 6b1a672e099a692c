import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classificationMetrics } from './classification-metrics.js';
import { bySegment, take } from './segments.js';
import { thresholdAnalysis } from './thresholds.js';

describe('thresholdAnalysis', () => {
  it('computes counts and rates at each distinct score (hand computed)', () => {
    // y:     1    0    1    0    1    0
    // score: 0.9  0.8  0.7  0.4  0.4  0.1   (P = 3, N = 3)
    const r = thresholdAnalysis([1, 0, 1, 0, 1, 0], [0.9, 0.8, 0.7, 0.4, 0.4, 0.1]);
    assert.deepEqual(
      r.rows.map((x) => [x.threshold, x.tp, x.fp, x.tn, x.fn]),
      [
        [0.9, 1, 0, 3, 2],
        [0.8, 1, 1, 2, 2],
        [0.7, 2, 1, 2, 1],
        [0.4, 3, 2, 1, 0],
        [0.1, 3, 3, 0, 0],
      ],
    );
    // F1 at 0.4 = 6 / (6 + 2 + 0) = 0.75 beats 0.7 (4 / 6). Youden's J is 1/3 at 0.9 (1/3 - 0),
    // 0.7 (2/3 - 1/3) and 0.4 (1 - 2/3), equal up to rounding: the highest threshold wins.
    assert.equal(r.bestF1.threshold, 0.4);
    assert.equal(r.bestF1.f1, 0.75);
    assert.equal(r.bestYouden.threshold, 0.9);
    assert.ok(Math.abs(r.bestYouden.youden - 1 / 3) < 1e-15);
    assert.equal(r.rows[0]!.precision, 1);
    assert.equal(r.rows[4]!.selectionRate, 1);
  });
});

describe('bySegment', () => {
  it('computes a metric overall and per segment, missing values as their own segment', () => {
    const yTrue = [1, 0, 1, 1, 0, 0];
    const yPred = [1, 0, 0, 1, 1, 0];
    const region = ['n', 'n', 's', 's', null, 'n'];
    const r = bySegment(
      region,
      (rows) => classificationMetrics(take(yTrue, rows), take(yPred, rows)).accuracy,
    );
    assert.ok(Math.abs(r.overall - 4 / 6) < 1e-15);
    assert.deepEqual(
      r.segments.map((s) => [s.segment, s.count, s.metrics]),
      [
        ['n', 3, 1],
        ['s', 2, 0.5],
        [null, 1, 0],
      ],
    );
    assert.equal(bySegment(region, (rows) => rows.length, { minCount: 2 }).segments.length, 2);
  });
});
