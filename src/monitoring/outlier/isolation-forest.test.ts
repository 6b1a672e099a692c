import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import type { OutlierResult } from '../types.js';
import { IsolationForestDetector } from './isolation-forest.js';
import { growTree, pathLength } from './isolation-tree.js';
import { averagePathLength, harmonic } from './path-length.js';

describe('Isolation Forest path-length normaliser c(n) (Liu et al. 2008, eq. 1)', () => {
  it('hand-checked values: c(1) = 0, c(2) = 1, c(3) = 5/3, c(4) = 13/6', () => {
    assert.equal(averagePathLength(1), 0);
    assert.equal(averagePathLength(2), 1);
    assert.ok(Math.abs(averagePathLength(3) - 5 / 3) < 1e-15); // 2·(1 + 1/2) − 4/3
    assert.ok(Math.abs(averagePathLength(4) - 13 / 6) < 1e-15); // 2·(11/6) − 3/2
  });

  it('agrees with the paper approximation 2(ln(n−1) + γ) − 2(n−1)/n up to the 1/(n−1) term', () => {
    for (const n of [256, 1000, 5000]) {
      const paper = 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
      const diff = averagePathLength(n) - paper;
      assert.ok(diff > 0 && diff <= 1 / (n - 1) + 1e-9, `n=${n}: diff ${diff}`);
    }
  });

  it('harmonic numbers: exact sum and asymptotic series join smoothly', () => {
    let h = 0;
    for (let k = 1; k <= 2000; k++) h += 1 / k;
    assert.ok(Math.abs(harmonic(2000) - h) < 1e-12);
  });
});

describe('isolation trees by hand', () => {
  it('a 2-point tree: one split, both points at depth 1, score 2^(−1/c(2)) = 0.5', () => {
    const tree = growTree([[0], [1]], [0, 1], 1, createRng(1));
    assert.equal(pathLength(tree, [0]), 1);
    assert.equal(pathLength(tree, [1]), 1);
    const forest = new IsolationForestDetector({ nEstimators: 10 }).fit([[0], [1]]);
    assert.deepEqual(forest.score([[0], [1], [7]]), [0.5, 0.5, 0.5]);
  });

  it('an isolated point: seven equal points and one apart give h = 1 and h = 1 + c(7) in every tree', () => {
    const reference = [...Array.from({ length: 7 }, () => [0]), [10]];
    const forest = new IsolationForestDetector({ nEstimators: 25, seed: 3 }).fit(reference);
    const c8 = averagePathLength(8);
    const [inlier, isolated] = forest.score([[0], [10]]) as [number, number];
    assert.ok(Math.abs(isolated - 2 ** (-1 / c8)) < 1e-15);
    assert.ok(Math.abs(inlier - 2 ** (-(1 + averagePathLength(7)) / c8)) < 1e-15);
    assert.ok(isolated > inlier);
  });
});

describe('IsolationForestDetector', () => {
  const rng = createRng(11);
  const cluster = Array.from({ length: 500 }, () => [rng.normal(), rng.normal()]);

  it('scores far points near 1 and flags them; about `contamination` of the reference is above the threshold', () => {
    const forest = new IsolationForestDetector({ seed: 5 }).fit(cluster);
    const results = forest.predict([
      [6, 6],
      [0, 0],
    ]);
    const far = results[0] as OutlierResult;
    const centre = results[1] as OutlierResult;
    assert.ok(far.score > 0.7 && far.isOutlier);
    assert.ok(centre.score < 0.5 && !centre.isOutlier);
    const flagged = forest.predict(cluster).filter((r) => r.isOutlier).length / cluster.length;
    assert.ok(Math.abs(flagged - 0.05) <= 0.01, `flagged share ${flagged}`);
  });

  it('uses ψ = 256 subsamples and a height limit of 8 by default', () => {
    const state = new IsolationForestDetector({ nEstimators: 5, seed: 1 }).fit(cluster).toJSON();
    assert.equal(state.fitted?.psi, 256);
    for (const tree of state.fitted?.trees ?? []) {
      const depthOf = (node: number): number =>
        (tree.feature[node] as number) < 0
          ? 0
          : 1 + Math.max(depthOf(tree.left[node] as number), depthOf(tree.right[node] as number));
      assert.ok(depthOf(0) <= 8);
      // leaf sizes add up to the subsample size
      assert.equal(
        tree.size.reduce((a, b) => a + b, 0),
        256,
      );
    }
  });

  it('round-trips through JSON with identical scores', () => {
    const forest = new IsolationForestDetector({ nEstimators: 20, seed: 2 }).fit(cluster.slice(0, 100));
    const restored = IsolationForestDetector.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())));
    assert.deepEqual(restored.predict(cluster.slice(100, 120)), forest.predict(cluster.slice(100, 120)));
  });

  it('validates inputs', () => {
    assert.throws(() => new IsolationForestDetector({ contamination: 0.7 }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => new IsolationForestDetector().predict([[1]]), /not fitted/);
    const forest = new IsolationForestDetector({ nEstimators: 2 }).fit(cluster.slice(0, 10));
    assert.throws(() => forest.predict([[1, 2, 3]]), /does not have 2 values/);
  });
});
