import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { loadSklearnFixtures } from './fixtures.js';
import { makeLinear, trainLinearRegression } from './index.js';
import { assertClose, runOnnx } from './test-support.js';

const fx = loadSklearnFixtures().linear;

describe('trainLinearRegression', () => {
  it('equals numpy.linalg.lstsq on [X, 1] (fixture)', () => {
    const model = trainLinearRegression(fx.X, fx.y);
    assertClose(model.coefficients, fx.coef, 1e-10, 1e-12);
    assertClose([model.intercept], [fx.intercept], 1e-10, 1e-12);
  });

  it('returns the minimum-norm solution for a rank-deficient design, like lstsq', () => {
    const model = trainLinearRegression(fx.X_deficient, fx.y);
    assertClose(model.coefficients, fx.coef_deficient, 1e-8, 1e-10);
    assertClose([model.intercept], [fx.intercept_deficient], 1e-8, 1e-10);
  });

  it('recovers the true coefficients of a noisy linear function', () => {
    const data = makeLinear({ nSamples: 2000, nFeatures: 5, intercept: -3, noise: 0.5, seed: 11 });
    const model = trainLinearRegression(data.X, data.y);
    assertClose(model.coefficients, data.coef, 0, 0.05);
    assert.ok(Math.abs(model.intercept + 3) < 0.05);
    const noIntercept = trainLinearRegression(data.X, data.y, { fitIntercept: false });
    assert.equal(noIntercept.intercept, 0);
  });

  it('exports ONNX whose outputs match predict within float32 tolerance', async () => {
    const data = makeLinear({ nSamples: 300, nFeatures: 6, noise: 1, seed: 12 });
    const model = trainLinearRegression(data.X, data.y);
    const onnx = await runOnnx(model.toOnnx(), data.X);
    assertClose(onnx.variable!, model.predict(data.X), 1e-5, 1e-4);
  });

  it('rejects malformed input', () => {
    const invalid = (e: unknown) => e instanceof OspreyError && e.code === 'INVALID_ARGUMENT';
    assert.throws(() => trainLinearRegression([], []), invalid);
    assert.throws(() => trainLinearRegression([[1, 2], [3]], [1, 2]), invalid);
    assert.throws(() => trainLinearRegression([[1], [2]], [1]), invalid);
    assert.throws(() => trainLinearRegression([[1], [Number.NaN]], [1, 2]), invalid);
    assert.throws(() => trainLinearRegression([[1], [2]], [1, 2]).predict([[1, 2]]), invalid);
  });
});
