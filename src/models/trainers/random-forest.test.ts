import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readOnnxModel, readTreeEnsemble } from '../onnx/index.js';
import {
  makeLinear,
  makeMoons,
  makeXor,
  trainDecisionTreeClassifier,
  trainRandomForestClassifier,
  trainRandomForestRegressor,
} from './index.js';
import { accuracy, assertClose, assertOnnxClassifierAgrees, runOnnx } from './test-support.js';

describe('trainRandomForestClassifier', () => {
  const train = makeXor({ nSamples: 600, nNoiseFeatures: 2, seed: 21 });
  const test = makeXor({ nSamples: 600, nNoiseFeatures: 2, seed: 22 });

  it('beats a single depth-limited tree on XOR and is reproducible per seed', () => {
    const forest = trainRandomForestClassifier(train.X, train.y, { nEstimators: 25, seed: 1 });
    const tree = trainDecisionTreeClassifier(train.X, train.y, { maxDepth: 4 });
    const forestAcc = accuracy(forest.predict(test.X), test.y);
    assert.ok(forestAcc > 0.93, `forest accuracy ${forestAcc}`);
    assert.ok(forestAcc > accuracy(tree.predict(test.X), test.y));
    const again = trainRandomForestClassifier(train.X, train.y, { nEstimators: 25, seed: 1 });
    assert.deepEqual(again.predictProba(test.X), forest.predictProba(test.X));
    const other = trainRandomForestClassifier(train.X, train.y, { nEstimators: 25, seed: 2 });
    assert.notDeepEqual(other.predictProba(test.X), forest.predictProba(test.X));
  });

  it('averages the trees: probabilities are means of leaf fractions', () => {
    const forest = trainRandomForestClassifier(train.X, train.y, { nEstimators: 5, maxDepth: 3, seed: 3 });
    assert.equal(forest.trees.length, 5);
    const rows = test.X.slice(0, 20);
    const expected = rows.map((row) => {
      const sum = [0, 0];
      for (const t of forest.trees) {
        let i = 0;
        while (t.left[i]! >= 0)
          i = Math.fround(row[t.feature[i]!]!) <= t.threshold[i]! ? t.left[i]! : t.right[i]!;
        sum[0]! += t.value[2 * i]! / 5;
        sum[1]! += t.value[2 * i + 1]! / 5;
      }
      return sum;
    });
    assertClose(forest.predictProba(rows).flat(), expected.flat(), 1e-12, 1e-12);
  });

  it('binary and 3-class forests export ONNX that onnxruntime agrees with', async () => {
    const forest = trainRandomForestClassifier(train.X, train.y, {
      nEstimators: 15,
      seed: 4,
      minSamplesLeaf: 2,
    });
    await assertOnnxClassifierAgrees(forest, test.X);
    const moons = makeMoons({ nSamples: 300, noise: 0.2, seed: 5 });
    const y3 = moons.y.map((v, i) => (moons.X[i]![0]! > 1.2 ? 2 : v));
    const forest3 = trainRandomForestClassifier(moons.X, y3, {
      nEstimators: 10,
      seed: 6,
      maxFeatures: 'all',
    });
    await assertOnnxClassifierAgrees(forest3, moons.X);
    const attrs = readTreeEnsemble(readOnnxModel(forest3.toOnnx()));
    assert.equal(new Set(attrs.nodes_treeids).size, 10);
  });
});

describe('trainRandomForestRegressor', () => {
  it('fits a linear target, reduces error versus the mean, and exports an AVERAGE ensemble', async () => {
    const data = makeLinear({ nSamples: 500, nFeatures: 4, noise: 0.3, seed: 31 });
    const forest = trainRandomForestRegressor(data.X, data.y, { nEstimators: 20, maxDepth: 8, seed: 1 });
    const pred = forest.predict(data.X);
    const mean = data.y.reduce((a, b) => a + b, 0) / data.y.length;
    const sse = pred.reduce((s, v, i) => s + (v - data.y[i]!) ** 2, 0);
    const sst = data.y.reduce((s, v) => s + (v - mean) ** 2, 0);
    assert.ok(sse / sst < 0.1, `R² ${1 - sse / sst}`);
    const bytes = forest.toOnnx();
    const attrs = readTreeEnsemble(readOnnxModel(bytes));
    assert.equal(attrs.op === 'TreeEnsembleRegressor' && attrs.aggregate_function, 'AVERAGE');
    const onnx = await runOnnx(bytes, data.X);
    assertClose(onnx.variable!, pred, 1e-5, 1e-4);
  });
});
