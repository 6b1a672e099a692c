import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFixture } from '../test-support/fixtures.js';
import { informationCriterionFit, lassoCoordinateDescent } from './l1-select.js';
import { larsPath } from './lars.js';

// Reference values: src/explain/fixtures/lars.json, written by src/explain/fixtures/make-lars.py with scikit-learn 1.2.1
// (lars_path for 'lar' and 'lasso', LinearRegression for the OLS endpoint, LassoLarsIC(fit_intercept=False) for aic/bic, Lasso for alpha 0.1).
interface Path {
  alphas: number[];
  active: number[];
  coefs: number[][];
}
const fx = loadFixture<{
  X: number[][];
  y: number[];
  lar: Path;
  lasso: Path;
  ols: number[];
  aic: { coef: number[] };
  bic: { coef: number[] };
  lasso_cd: { alpha: number; coef: number[] };
}>('lars.json');
const n = fx.X.length;
const p = fx.X[0]!.length;
const x = Float64Array.from(fx.X.flat());
const y = Float64Array.from(fx.y);

function assertClose(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('larsPath', () => {
  it("reproduces sklearn lars_path(method='lasso') breakpoints and alphas, including a drop", () => {
    const { steps } = larsPath(x, y, n, p, { method: 'lasso' });
    const ref = fx.lasso;
    assert.equal(steps.length, ref.coefs.length, 'number of breakpoints');
    steps.forEach((s, i) => {
      assertClose(s.coef, ref.coefs[i]!, 1e-9, `lasso step ${i} coef`);
      assert.ok(
        Math.abs(s.alpha - ref.alphas[i]!) < 1e-9,
        `lasso alpha ${i}: ${s.alpha} vs ${ref.alphas[i]}`,
      );
    });
    // Variable 0 enters first, leaves when its coefficient reaches zero, and comes back later.
    const leaves = steps.findIndex(
      (s, i) => i > 0 && steps[i - 1]!.active.includes(0) && !s.active.includes(0),
    );
    assert.ok(leaves > 0 && steps.slice(leaves + 1).some((s) => s.active.includes(0)));
  });

  it("follows sklearn lars_path(method='lar') until a coefficient changes sign, then ends at OLS", () => {
    // sklearn flips the sign of a LAR coefficient that crosses zero and spends a step without adding
    // a variable (_least_angle.py, "update the sign, important for LAR"); Efron et al.'s LAR keeps
    // moving equiangularly and, with n > p, ends at the least-squares fit. Breakpoints 0-4 (up to
    // the crossing) agree; the entry order agrees; our endpoint is sklearn's LinearRegression.
    const { steps, entered } = larsPath(x, y, n, p, { method: 'lar' });
    for (let i = 0; i <= 4; i++) {
      assertClose(steps[i]!.coef, fx.lar.coefs[i]!, 1e-9, `lar step ${i} coef`);
      assert.ok(Math.abs(steps[i]!.alpha - fx.lar.alphas[i]!) < 1e-9);
    }
    assert.deepEqual(entered, fx.lar.active);
    assertClose(steps[steps.length - 1]!.coef, fx.ols, 1e-9, 'lar endpoint');
  });
});

describe('information criterion and coordinate-descent lasso', () => {
  it('selects the same coefficients as LassoLarsIC (aic and bic)', () => {
    assertClose(informationCriterionFit(x, y, n, p, 'aic'), fx.aic.coef, 1e-9, 'aic');
    assertClose(informationCriterionFit(x, y, n, p, 'bic'), fx.bic.coef, 1e-9, 'bic');
  });

  it('matches sklearn Lasso(alpha=0.1, fit_intercept=False)', () => {
    assertClose(lassoCoordinateDescent(x, y, n, p, fx.lasso_cd.alpha), fx.lasso_cd.coef, 1e-8, 'lasso');
  });
});
