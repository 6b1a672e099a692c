import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { additivityError } from '../common/explanation.js';
import { exactShapleyValues } from '../common/shapley.js';
import { linearShap } from './linear-shap.js';

describe('linearShap', () => {
  it('matches a hand computation', () => {
    // w = [2, -1], b = 0.5, means over background [[0, 1], [2, 3]] = [1, 2]:
    // phi(x = [3, 0]) = [2 * (3 - 1), -1 * (0 - 2)] = [4, 2]; base = 2 - 2 + 0.5 = 0.5; f(x) = 6.5.
    const r = linearShap({ coefficients: [2, -1], intercept: 0.5 }, [[3, 0]], {
      background: [
        [0, 1],
        [2, 3],
      ],
    });
    assert.deepEqual(r.values, [[[4, 2]]]);
    assert.deepEqual(r.baseValues, [0.5]);
    assert.deepEqual(r.outputs, [[6.5]]);
  });

  it('is additive within 1e-6 for a three-output (softmax-style) model on the margin', () => {
    const rng = createRng(4);
    const m = 30;
    const coefficients = Array.from({ length: 3 }, () => Array.from({ length: m }, () => rng.normal() * 5));
    const rows = Array.from({ length: 50 }, () => Array.from({ length: m }, () => rng.normal() * 100));
    const background = Array.from({ length: 40 }, () => Array.from({ length: m }, () => rng.normal()));
    const weights = background.map(() => rng.next());
    const r = linearShap({ coefficients, intercept: [1, 2, 3] }, rows, {
      background,
      backgroundWeights: weights,
    });
    assert.ok(additivityError(r) < 1e-6, `additivity error ${additivityError(r)}`);
  });

  it('equals brute-force Shapley values of the interventional game on the margin', () => {
    // Reference: all 2^M coalitions of v(S) = mean_b margin(x_S, b_notS), Shapley formula.
    const w = [0.5, -2, 3, 1.5, -0.25];
    const bg = [
      [1, 2, 3, 4, 5],
      [0, -1, 2, 0, 1],
      [3, 3, -3, 1, 0],
    ];
    const x = [2, 0, 1, -1, 4];
    const margin = (r: number[]) => r.reduce((a, v, j) => a + w[j]! * v, -1);
    const ref = exactShapleyValues(5, (mask) => [
      bg.reduce((acc, b) => acc + margin(b.map((v, j) => ((mask >> j) & 1 ? x[j]! : v))), 0) / bg.length,
    ]);
    const r = linearShap({ coefficients: w, intercept: -1 }, [x], { background: bg });
    ref[0]!.forEach((v, j) => {
      assert.ok(Math.abs(v - r.values[0]![0]![j]!) < 1e-12);
    });
  });

  it('validates its input', () => {
    assert.throws(
      () => linearShap({ coefficients: [1, 2] }, [[1, 2]]),
      /background dataset or feature means/,
    );
    assert.throws(() => linearShap({ coefficients: [1, 2] }, [[1]], { means: [0, 0] }), /2 columns/);
    assert.throws(
      () => linearShap({ coefficients: [1, 2], intercept: [1, 2] }, [[1, 2]], { means: [0, 0] }),
      /intercept/,
    );
  });
});
