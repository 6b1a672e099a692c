import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { summariseBackground } from './background.js';

// Three well-separated clusters of 50, 30 and 20 rows around (0,0), (10,10) and (-10,5).
function clustered(): number[][] {
  const rng = createRng(3);
  const centres = [
    [0, 0, 50],
    [10, 10, 30],
    [-10, 5, 20],
  ];
  return centres.flatMap(([cx, cy, n]) =>
    Array.from({ length: n! }, () => [cx! + 0.5 * rng.normal(), cy! + 0.5 * rng.normal()]),
  );
}

describe('summariseBackground', () => {
  it('k-means finds separated clusters and weights them by size (50/30/20 rows)', () => {
    const data = clustered();
    const s = summariseBackground(data, { method: 'kmeans', k: 3, seed: 1, roundValues: false });
    const order = s.data.map((c, i) => ({ c, w: s.weights[i]! })).sort((a, b) => b.w - a.w);
    assert.deepEqual(
      order.map((o) => o.w),
      [0.5, 0.3, 0.2],
    );
    const expected = [
      [0, 0],
      [10, 10],
      [-10, 5],
    ];
    order.forEach((o, i) => {
      assert.ok(
        Math.hypot(o.c[0]! - expected[i]![0]!, o.c[1]! - expected[i]![1]!) < 0.3,
        `centre ${i}: ${o.c}`,
      );
    });
  });

  it('snaps centres onto observed column values by default', () => {
    const data = clustered();
    const s = summariseBackground(data, { method: 'kmeans', k: 3, seed: 1 });
    for (const c of s.data) {
      c.forEach((v, j) => {
        assert.ok(data.some((r) => r[j] === v));
      });
    }
  });

  it('samples k distinct rows with equal weights, reproducibly', () => {
    const data = clustered();
    const a = summariseBackground(data, { method: 'sample', k: 10, seed: 9 });
    const b = summariseBackground(data, { method: 'sample', k: 10, seed: 9 });
    assert.deepEqual(a, b);
    assert.equal(new Set(a.data.map((r) => r.join())).size, 10);
    assert.ok(a.weights.every((w) => w === 0.1));
    assert.equal(a.summary, 'sample(10, seed=9)');
  });

  it('returns the data unchanged when k covers it, and validates input', () => {
    assert.equal(summariseBackground([[1], [2]], { method: 'kmeans', k: 5 }).summary, 'full');
    assert.throws(() => summariseBackground([], { method: 'kmeans', k: 2 }), /non-empty/);
    assert.throws(() => summariseBackground([[1], [2], [3]], { method: 'kmeans', k: 0 }), /k must be/);
  });
});
