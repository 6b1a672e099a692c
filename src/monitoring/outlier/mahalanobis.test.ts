import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { MahalanobisDetector } from './mahalanobis.js';
import { OnlineCovariance } from './online-covariance.js';

function correlatedRows(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const a = rng.normal();
    const b = 0.8 * a + 0.6 * rng.normal();
    return [3 + 2 * a, -1 + b, rng.normal()];
  });
}

/** Two-pass mean and sample covariance, the textbook way. */
function twoPass(rows: number[][]): { mean: number[]; cov: number[][] } {
  const n = rows.length;
  const d = (rows[0] as number[]).length;
  const mean = Array.from({ length: d }, (_, k) => rows.reduce((s, r) => s + (r[k] as number), 0) / n);
  const cov = Array.from({ length: d }, (_, a) =>
    Array.from(
      { length: d },
      (_, b) =>
        rows.reduce(
          (s, r) => s + ((r[a] as number) - (mean[a] as number)) * ((r[b] as number) - (mean[b] as number)),
          0,
        ) /
        (n - 1),
    ),
  );
  return { mean, cov };
}

describe('OnlineCovariance (Welford)', () => {
  it('matches the two-pass mean and covariance, also far from the origin', () => {
    const rows = correlatedRows(300, 1).map((r) => r.map((v) => v + 1e6));
    const online = new OnlineCovariance(3);
    for (const r of rows) online.update(r);
    const exact = twoPass(rows);
    online.getMean().forEach((m, k) => {
      assert.ok(Math.abs(m - (exact.mean[k] as number)) < 1e-8);
    });
    online.covariance().forEach((row, a) => {
      row.forEach((v, b) => {
        assert.ok(Math.abs(v - ((exact.cov[a] as number[])[b] as number)) < 1e-8);
      });
    });
  });
});

describe('MahalanobisDetector', () => {
  it('with identity-like covariance the distance is the Euclidean distance from the mean', () => {
    // Four points at (±1, ±1): mean 0, sample covariance (4/3)·I → distance = |x| / √(4/3)
    const d = new MahalanobisDetector({ threshold: 10 }).fit([
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ]);
    const [s] = d.score([[3, 4]]);
    assert.ok(Math.abs((s as number) - 5 / Math.sqrt(4 / 3)) < 1e-12);
  });

  it('uses the correlation: a point off the correlation axis scores higher than one along it', () => {
    const d = new MahalanobisDetector().fit(correlatedRows(500, 2));
    const [along, across] = d.score([
      [3 + 2 * 2, -1 + 1.6, 0],
      [3 + 2 * 2, -1 - 1.6, 0],
    ]) as [number, number];
    assert.ok(across > 2 * along, `${across} vs ${along}`);
  });

  it('fits the threshold so about fpr of the reference is flagged', () => {
    const reference = correlatedRows(400, 3);
    const d = new MahalanobisDetector({ fpr: 0.1 }).fit(reference);
    const share = d.predict(reference).filter((r) => r.isOutlier).length / reference.length;
    assert.ok(Math.abs(share - 0.1) < 0.01);
  });

  it('constant and duplicated features (singular covariance) still give finite scores', () => {
    const rows = correlatedRows(50, 4).map((r) => [r[0] as number, 7, r[0] as number]);
    const d = new MahalanobisDetector().fit(rows);
    assert.ok(
      d
        .score([
          [1, 7, 1],
          [1, 8, 2],
        ])
        .every(Number.isFinite),
    );
  });

  it('online updates equal a batch fit on all rows seen', () => {
    const all = correlatedRows(200, 5);
    const online = new MahalanobisDetector({ threshold: 3, updateOnPredict: true }).fit(all.slice(0, 100));
    online.predict(all.slice(100));
    const batch = new MahalanobisDetector({ threshold: 3 }).fit(all);
    const probe = correlatedRows(5, 6);
    online.score(probe).forEach((s, i) => {
      assert.ok(Math.abs(s - (batch.score(probe)[i] as number)) < 1e-9);
    });
  });

  it('round-trips through JSON', () => {
    const d = new MahalanobisDetector().fit(correlatedRows(60, 7));
    const restored = MahalanobisDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    const probe = correlatedRows(5, 8);
    assert.deepEqual(restored.predict(probe), d.predict(probe));
  });
});
