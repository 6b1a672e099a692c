import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { readOnnxModel, readTreeEnsemble } from '../onnx/index.js';
import { loadSklearnFixtures } from './fixtures.js';
import {
  makeLinear,
  makeXor,
  trainGradientBoostingClassifier,
  trainGradientBoostingRegressor,
} from './index.js';
import { accuracy, assertClose, assertOnnxClassifierAgrees, runOnnx } from './test-support.js';

const fx = loadSklearnFixtures();
const bo = fx.boosting;
const options = { nEstimators: bo.n_estimators, learningRate: bo.learning_rate, maxDepth: bo.max_depth };

describe('gradient boosting against sklearn', () => {
  // Reference: sklearn GradientBoosting{Regressor,Classifier}(criterion="squared_error", subsample=1).
  // Training rows are compared because tied splits may route new points differently (see decision-tree tests).
  it('regressor (squared loss) reproduces sklearn on the training rows', () => {
    const model = trainGradientBoostingRegressor(fx.trees.X, fx.trees.y_reg, options);
    assertClose(model.predict(fx.trees.X), bo.regressor_predict_train, 1e-10, 1e-10);
  });

  it('classifier (log loss, Newton leaf steps) reproduces sklearn probabilities on the training rows', () => {
    const model = trainGradientBoostingClassifier(fx.trees.X, bo.y_binary, options);
    assertClose(model.predictProba(fx.trees.X).flat(), bo.classifier_proba_train.flat(), 1e-10, 1e-10);
  });
});

describe('gradient boosting', () => {
  const train = makeXor({ nSamples: 800, nNoiseFeatures: 1, seed: 41 });
  const test = makeXor({ nSamples: 800, nNoiseFeatures: 1, seed: 42 });

  it('classifies XOR and exports a LOGISTIC TreeEnsembleClassifier onnxruntime agrees with', async () => {
    const model = trainGradientBoostingClassifier(train.X, train.y, { nEstimators: 60, maxDepth: 3 });
    assert.ok(accuracy(model.predict(test.X), test.y) > 0.95);
    const attrs = readTreeEnsemble(readOnnxModel(model.toOnnx()));
    assert.equal(attrs.post_transform, 'LOGISTIC');
    await assertOnnxClassifierAgrees(model, test.X);
  });

  it('stochastic boosting (subsample) is seeded', () => {
    const a = trainGradientBoostingClassifier(train.X, train.y, { nEstimators: 10, subsample: 0.5, seed: 1 });
    const b = trainGradientBoostingClassifier(train.X, train.y, { nEstimators: 10, subsample: 0.5, seed: 1 });
    const c = trainGradientBoostingClassifier(train.X, train.y, { nEstimators: 10, subsample: 0.5, seed: 2 });
    assert.deepEqual(a.predictProba(test.X), b.predictProba(test.X));
    assert.notDeepEqual(a.predictProba(test.X), c.predictProba(test.X));
  });

  it('regressor error falls with more stages; ONNX SUM ensemble with base value matches', async () => {
    const data = makeLinear({ nSamples: 600, nFeatures: 4, noise: 0.2, seed: 43 });
    const mse = (m: { predict: (X: number[][]) => number[] }) =>
      m.predict(data.X).reduce((s, v, i) => s + (v - data.y[i]!) ** 2, 0) / data.y.length;
    const few = trainGradientBoostingRegressor(data.X, data.y, { nEstimators: 5 });
    const many = trainGradientBoostingRegressor(data.X, data.y, { nEstimators: 80 });
    assert.ok(mse(many) < 0.5 * mse(few));
    const onnx = await runOnnx(many.toOnnx(), data.X);
    assertClose(onnx.variable!, many.predict(data.X), 1e-5, 1e-4);
  });

  it('rejects more than two classes and bad options', () => {
    const invalid = (e: unknown) => e instanceof OspreyError && e.code === 'INVALID_ARGUMENT';
    assert.throws(() => trainGradientBoostingClassifier([[1], [2], [3]], [0, 1, 2]), invalid);
    assert.throws(() => trainGradientBoostingRegressor([[1], [2]], [0, 1], { subsample: 1.5 }), invalid);
    assert.throws(() => trainGradientBoostingRegressor([[1], [2]], [0, 1], { learningRate: -1 }), invalid);
  });
});
