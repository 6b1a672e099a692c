import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { makeBlobs, makeLinear, makeMoons, trainMlpClassifier, trainMlpRegressor } from './index.js';
import { accuracy, assertClose, assertOnnxClassifierAgrees, runOnnx } from './test-support.js';

describe('trainMlpClassifier', () => {
  const train = makeMoons({ nSamples: 400, noise: 0.15, seed: 51 });
  const test = makeMoons({ nSamples: 400, noise: 0.15, seed: 52 });

  it('learns the two moons (non-linear) with tanh layers; loss decreases', () => {
    const model = trainMlpClassifier(train.X, train.y, {
      hiddenLayers: [16, 16],
      activation: 'tanh',
      epochs: 60,
      learningRate: 0.01,
      seed: 1,
    });
    assert.ok(accuracy(model.predict(test.X), test.y) > 0.95);
    assert.ok(model.lossCurve.at(-1)! < 0.5 * model.lossCurve[0]!);
  });

  it('is reproducible per seed', () => {
    const opts = { hiddenLayers: [8], epochs: 5, seed: 3 };
    const a = trainMlpClassifier(train.X, train.y, opts);
    assert.deepEqual(trainMlpClassifier(train.X, train.y, opts).layers, a.layers);
    assert.notDeepEqual(trainMlpClassifier(train.X, train.y, { ...opts, seed: 4 }).layers, a.layers);
  });

  it('exports Gemm/Relu/Softmax ONNX that onnxruntime agrees with (standardisation folded in)', async () => {
    const data = makeBlobs({
      nSamples: 450,
      nFeatures: 5,
      centers: 3,
      clusterStd: 3,
      centerBox: [-50, 50],
      seed: 53,
    });
    const labels = data.y.map((v) => v + 7);
    const model = trainMlpClassifier(data.X, labels, {
      hiddenLayers: [12, 6],
      epochs: 20,
      learningRate: 0.01,
      seed: 2,
    });
    assert.ok(accuracy(model.predict(data.X), labels) > 0.9);
    await assertOnnxClassifierAgrees(model, data.X);
    const raw = trainMlpClassifier(data.X, labels, {
      hiddenLayers: [4],
      activation: 'sigmoid',
      epochs: 3,
      standardize: false,
    });
    await assertOnnxClassifierAgrees(raw, data.X);
  });
});

describe('trainMlpRegressor', () => {
  it('fits a linear function with noise and exports an agreeing regressor', async () => {
    const data = makeLinear({ nSamples: 500, nFeatures: 3, intercept: 10, noise: 0.1, seed: 61 });
    const model = trainMlpRegressor(data.X, data.y, {
      hiddenLayers: [16],
      epochs: 40,
      learningRate: 0.01,
      seed: 1,
    });
    const pred = model.predict(data.X);
    const rmse = Math.sqrt(pred.reduce((s, v, i) => s + (v - data.y[i]!) ** 2, 0) / pred.length);
    assert.ok(rmse < 0.5, `rmse ${rmse}`);
    const onnx = await runOnnx(model.toOnnx(), data.X);
    assertClose(onnx.variable!, pred, 1e-5, 1e-4);
  });

  it('rejects bad options', () => {
    const invalid = (e: unknown) => e instanceof OspreyError && e.code === 'INVALID_ARGUMENT';
    assert.throws(() => trainMlpRegressor([[1], [2]], [1, 2], { hiddenLayers: [0] }), invalid);
    assert.throws(() => trainMlpRegressor([[1], [2]], [1, 2], { activation: 'gelu' as 'relu' }), invalid);
    assert.throws(() => trainMlpRegressor([[1], [2]], [1, 2], { learningRate: 0 }), invalid);
  });
});
