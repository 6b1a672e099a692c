import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { permutationImportance } from './permutation-importance.js';

const mse = (y: readonly number[], p: number[][]) =>
  y.reduce((a, v, i) => a + (v - p[i]![0]!) ** 2, 0) / y.length;

describe('permutationImportance', () => {
  // y = 3 x0 + x1 exactly; x2 is never used. Shuffling x_j of a linear model raises the MSE by
  // w_j^2 * mean((x_j - x_perm(j))^2), whose expectation over permutations is 2 w_j^2 * Var(x_j)
  // (population variance times n/(n-1) for a uniform random permutation).
  const rng = createRng(1);
  const n = 400;
  const X = Array.from({ length: n }, () => [rng.normal(), rng.normal() * 2, rng.normal()]);
  const y = X.map((x) => 3 * x[0]! + x[1]!);
  const predict = (rows: number[][]) => rows.map((x) => 3 * x[0]! + x[1]!);
  const variance = (j: number) => {
    const mu = X.reduce((a, x) => a + x[j]!, 0) / n;
    return X.reduce((a, x) => a + (x[j]! - mu) ** 2, 0) / (n - 1);
  };

  it('matches the expected MSE increase of a linear model and gives exactly 0 to an unused feature', async () => {
    const r = await permutationImportance({
      predict,
      X,
      y,
      score: mse,
      higherIsBetter: false,
      nRepeats: 30,
      seed: 7,
    });
    assert.equal(r.baselineScore, 0);
    const expected0 = 2 * 9 * variance(0);
    const expected1 = 2 * 1 * variance(1);
    assert.ok(
      Math.abs(r.importancesMean[0]! - expected0) / expected0 < 0.05,
      `${r.importancesMean[0]} vs ${expected0}`,
    );
    assert.ok(
      Math.abs(r.importancesMean[1]! - expected1) / expected1 < 0.05,
      `${r.importancesMean[1]} vs ${expected1}`,
    );
    assert.deepEqual(r.importances[2], new Array(30).fill(0));
    assert.equal(r.importancesStd[2], 0);
    assert.ok(r.importancesStd[0]! > 0);
  });

  it('is reproducible from its seed, batches one call per feature and honours a feature subset', async () => {
    const calls: number[] = [];
    const counted = (rows: number[][]) => {
      calls.push(rows.length);
      return predict(rows);
    };
    const opts = {
      predict: counted,
      X,
      y,
      score: mse,
      higherIsBetter: false,
      nRepeats: 3,
      seed: 2,
      features: [1],
    };
    const a = await permutationImportance(opts);
    const b = await permutationImportance(opts);
    assert.deepEqual(a.importances, b.importances);
    assert.deepEqual(calls, [n, 3 * n, n, 3 * n]);
    assert.deepEqual(a.featureNames, ['x1']);
  });

  it('validates its input', async () => {
    await assert.rejects(permutationImportance({ predict, X, y: y.slice(1), score: mse }), /y has/);
    await assert.rejects(permutationImportance({ predict, X, y, score: mse, nRepeats: 0 }), /nRepeats/);
    await assert.rejects(
      permutationImportance({ predict, X, y, score: mse, features: [3] }),
      /feature index/,
    );
  });
});
