import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { additivityError } from '../common/explanation.js';
import { createKernelExplainer } from '../kernel/index.js';
import { loadFixture } from '../test-support/fixtures.js';
import { fromOnnxTreeAttributes, type OnnxTreeAttributes } from './from-onnx.js';
import { predictRaw } from './predict.js';
import { treeShap } from './tree-shap.js';

// A real model: src/explain/fixtures/gbm.json holds a scikit-learn 1.2.1 GradientBoostingRegressor (25 trees,
// depth 3) exported as ONNX attributes with weighted_n_node_samples as nodes_hitrates
// (src/explain/fixtures/make-gbm.py), its training rows and sklearn's predictions on them.
const gbm = loadFixture<{ X: number[][]; attrs: OnnxTreeAttributes; predictions: number[] }>('gbm.json');
const ensemble = fromOnnxTreeAttributes(gbm.attrs);

describe('TreeSHAP on a scikit-learn gradient-boosting model', () => {
  it('path-dependent: E[f] from training covers equals the mean training prediction; additive to 1e-6', () => {
    // With covers counted on the training set (no subsampling), the cover-weighted leaf mean of each
    // tree is that tree's mean training prediction, so the base value must be sklearn's mean prediction.
    const r = treeShap(ensemble, gbm.X);
    const meanPrediction = gbm.predictions.reduce((a, b) => a + b, 0) / gbm.predictions.length;
    assert.ok(Math.abs(r.baseValues[0]! - meanPrediction) < 1e-9, `${r.baseValues[0]} vs ${meanPrediction}`);
    assert.ok(additivityError(r) < 1e-6, `additivity ${additivityError(r)}`);
    r.outputs[0]!.forEach((v, i) => {
      assert.ok(Math.abs(v - gbm.predictions[i]!) < 1e-12);
    });
  });

  it('interventional TreeSHAP equals exactly enumerated KernelSHAP on the same background', async () => {
    // Both solve the same interventional game; KernelSHAP enumerates all 2^4 - 2 coalitions here.
    const background = gbm.X.slice(0, 25);
    const rows = gbm.X.slice(100, 110);
    const tree = treeShap(ensemble, rows, { background });
    const kernel = await (
      await createKernelExplainer({ predict: (x) => predictRaw(ensemble, x), background })
    ).explain(rows);
    assert.ok(Math.abs(tree.baseValues[0]! - kernel.baseValues[0]!) < 1e-12);
    let worst = 0;
    tree.values[0]!.forEach((phi, i) => {
      phi.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(v - kernel.values[0]![i]![j]!));
      });
    });
    assert.ok(worst < 1e-9, `worst difference ${worst}`);
  });
});
