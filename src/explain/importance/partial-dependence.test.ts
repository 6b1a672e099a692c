import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFixture } from '../test-support/fixtures.js';
import { fromOnnxTreeAttributes, type OnnxTreeAttributes, predictRaw } from '../tree/index.js';
import { defaultGrid, partialDependence } from './partial-dependence.js';

// Reference values: src/explain/fixtures/gbm.json from src/explain/fixtures/make-gbm.py (scikit-learn 1.2.1): a fitted
// GradientBoostingRegressor exported as ONNX tree attributes, and sklearn's
// partial_dependence(method='brute') on it.
interface Gbm {
  X: number[][];
  attrs: OnnxTreeAttributes;
  predictions: number[];
  pd_feature0: { grid: number[]; average: number[]; individual: number[][] };
  pd_features12: { grid: number[][]; average: number[][] };
  pd_feature3: { grid: number[]; average: number[] };
}
const gbm = loadFixture<Gbm>('gbm.json');
const ensemble = fromOnnxTreeAttributes(gbm.attrs);
const predict = (rows: number[][]) => predictRaw(ensemble, rows).map((r) => r[0]!);

const assertClose = (a: readonly number[], b: readonly number[], tol: number, what: string) => {
  assert.equal(a.length, b.length, `${what} length`);
  a.forEach((v, i) => {
    assert.ok(Math.abs(v - b[i]!) <= tol, `${what}[${i}]: ${v} vs ${b[i]}`);
  });
};

describe('partialDependence against sklearn', () => {
  it('the converted GBM predicts exactly what sklearn predicts', () => {
    assertClose(predict(gbm.X), gbm.predictions, 1e-12, 'predictions');
  });

  it('one feature, kind both: same grid (mquantile 5%-95%), PD and ICE curves', async () => {
    const r = await partialDependence({ predict, X: gbm.X, features: 0, gridResolution: 15, kind: 'both' });
    assertClose(r.grid[0]!, gbm.pd_feature0.grid, 1e-12, 'grid');
    assertClose(r.average![0]!, gbm.pd_feature0.average, 1e-10, 'average');
    r.individual![0]!.forEach((curve, i) => {
      assertClose(curve, gbm.pd_feature0.individual[i]!, 1e-10, `ice ${i}`);
    });
  });

  it('two features: cartesian grid, row-major like sklearn', async () => {
    const r = await partialDependence({
      predict,
      X: gbm.X,
      features: [1, 2],
      gridResolution: 4,
      maxBatchRows: 500,
    });
    assertClose(r.grid[0]!, gbm.pd_features12.grid[0]!, 1e-12, 'grid 1');
    assertClose(r.grid[1]!, gbm.pd_features12.grid[1]!, 1e-12, 'grid 2');
    assertClose(r.average![0]!, gbm.pd_features12.average.flat(), 1e-10, 'average');
    assert.equal(r.individual, undefined);
  });

  it('uses the unique values of a low-cardinality column', async () => {
    const r = await partialDependence({ predict, X: gbm.X, features: 3, gridResolution: 15 });
    assert.deepEqual(r.grid[0], gbm.pd_feature3.grid);
    assertClose(r.average![0]!, gbm.pd_feature3.average, 1e-10, 'average');
  });

  it('validates its input', () => {
    assert.throws(() => defaultGrid([1, 1, 1, 2], { gridResolution: 1 }), /gridResolution/);
    assert.throws(
      () => defaultGrid([1, 2, 3], { gridResolution: 2, percentiles: [0.9, 0.1] }),
      /percentiles/,
    );
  });
});
