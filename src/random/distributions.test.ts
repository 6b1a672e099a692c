import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleBeta, sampleGamma } from './distributions.js';
import { createRng } from './rng.js';

const N = 40_000;

function moments(draw: () => number): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < N; i++) {
    const x = draw();
    sum += x;
    sq += x * x;
  }
  const mean = sum / N;
  return { mean, variance: sq / N - mean * mean };
}

// Closed forms: Gamma(k, 1) has mean k and variance k; Beta(a, b) has mean a / (a + b) and variance
// ab / ((a + b)^2 (a + b + 1)) (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions,
// vol. 1 ch. 17 and vol. 2 ch. 25). The sample mean is within 5 standard errors with a fixed seed.
describe('gamma and beta draws', () => {
  for (const k of [0.3, 1, 3.7, 50]) {
    it(`Gamma(${k}) has mean and variance ${k}`, () => {
      const rng = createRng(7);
      const { mean, variance } = moments(() => sampleGamma(k, rng));
      assert.ok(Math.abs(mean - k) < 5 * Math.sqrt(k / N), `mean ${mean}`);
      assert.ok(Math.abs(variance - k) / k < 0.06, `variance ${variance}`);
    });
  }

  for (const [a, b] of [
    [1, 1],
    [2, 5],
    [30, 3],
  ] as const) {
    it(`Beta(${a}, ${b}) has the textbook mean and variance`, () => {
      const rng = createRng(11);
      const expectedVar = (a * b) / ((a + b) ** 2 * (a + b + 1));
      const { mean, variance } = moments(() => sampleBeta(a, b, rng));
      assert.ok(Math.abs(mean - a / (a + b)) < 5 * Math.sqrt(expectedVar / N), `mean ${mean}`);
      assert.ok(Math.abs(variance - expectedVar) / expectedVar < 0.05, `variance ${variance}`);
    });
  }

  it('rejects a shape that is not positive', () => {
    assert.throws(() => sampleGamma(0, createRng(1)), /shape must be > 0/);
    assert.throws(() => sampleGamma(Number.NaN, createRng(1)), /shape must be > 0/);
  });
});
