import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RobustZScoreDetector } from './robust-z-score.js';

describe('RobustZScoreDetector', () => {
  const reference = [[1], [2], [3], [4], [100]]; // median 3, MAD 1 → scale 1.4826

  it('z = (x − median)/(1.4826·MAD), ignoring the reference outlier', () => {
    const d = new RobustZScoreDetector().fit(reference);
    const [r] = d.predict([[9]]);
    assert.ok(r && Math.abs(r.score - 6 / 1.4826) < 1e-12);
    assert.equal(r?.isOutlier, true); // 4.05 > 3.5
    assert.equal(d.predict([[5]])[0]?.isOutlier, false);
  });

  it('reports signed per-feature z and takes the largest |z| as the score', () => {
    const d = new RobustZScoreDetector().fit([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const [r] = d.predict([[0, 50]]);
    assert.deepEqual(r?.perFeature, [-2 / 1.4826, 30 / (1.4826 * 10)]);
    assert.equal(r?.score, 30 / (1.4826 * 10));
  });

  it('MAD = 0 falls back to the mean absolute deviation; constant features give ±Infinity off the constant', () => {
    const d = new RobustZScoreDetector().fit([
      [0, 5],
      [0, 5],
      [0, 5],
      [4, 5],
    ]);
    const [r] = d.predict([[1, 5]]);
    // mean |x − 0| = 1 → scale 1.2533
    assert.ok(r && Math.abs((r.perFeature?.[0] as number) - 1 / 1.2533) < 1e-12);
    assert.equal(r?.perFeature?.[1], 0);
    assert.equal(d.predict([[0, 6]])[0]?.score, Number.POSITIVE_INFINITY);
  });

  it('threshold from a reference quantile when fpr is given, and JSON round trip', () => {
    const ref = Array.from({ length: 101 }, (_, i) => [i]);
    const d = new RobustZScoreDetector({ fpr: 0.1 }).fit(ref);
    const restored = RobustZScoreDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    assert.deepEqual(restored.predict([[5], [200]]), d.predict([[5], [200]]));
    const flagged = d.predict(ref).filter((r) => r.isOutlier).length;
    assert.ok(flagged >= 8 && flagged <= 12);
  });
});
