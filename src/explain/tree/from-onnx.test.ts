import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withCoversFromData } from './covers.js';
import { fromOnnxTreeAttributes, type OnnxTreeAttributes } from './from-onnx.js';
import { predictRaw, predictTransformed } from './predict.js';
import { treeShap } from './tree-shap.js';

// A two-tree, two-target regressor written by hand in ONNX attribute form. Node tuples are listed
// out of order on purpose. Tree 0: root n0 [x0 <= 0.5] true->n2 (leaf [1,-1]) false->n1
// [x1 < 2, NaN->true] true->n3 (leaf [2,0]) false->n4 (leaf [3,0.5]).
// Tree 1: n0 [x1 >= 1, NaN->true] true->n1 (leaf [10,0]) false->n2 (leaf [0,20]). base [0.5,-0.5].
const regressor: OnnxTreeAttributes = {
  nodes_treeids: [0, 0, 0, 0, 0, 1, 1, 1],
  nodes_nodeids: [3, 0, 2, 1, 4, 0, 1, 2],
  nodes_featureids: [0, 0, 0, 1, 0, 1, 0, 0],
  nodes_modes: ['LEAF', 'BRANCH_LEQ', 'LEAF', 'BRANCH_LT', 'LEAF', 'BRANCH_GTE', 'LEAF', 'LEAF'],
  nodes_values: [0, 0.5, 0, 2, 0, 1, 0, 0],
  nodes_truenodeids: [0, 2, 0, 3, 0, 1, 0, 0],
  nodes_falsenodeids: [0, 1, 0, 4, 0, 2, 0, 0],
  nodes_missing_value_tracks_true: [0, 0, 0, 1, 0, 1, 0, 0],
  // Tree 0: consistent hit counts (10 = 4 + 6, 6 = 5 + 1); tree 1: the 1.0 placeholders converters write.
  nodes_hitrates: [5, 10, 4, 6, 1, 1, 1, 1],
  n_targets: 2,
  target_treeids: [0, 0, 0, 0, 0, 1, 1],
  target_nodeids: [2, 2, 3, 4, 4, 1, 2],
  target_ids: [0, 1, 0, 0, 1, 0, 1],
  target_weights: [1, -1, 2, 3, 0.5, 10, 20],
  base_values: [0.5, -0.5],
};

describe('fromOnnxTreeAttributes', () => {
  it('reproduces hand-computed regressor outputs, including NaN routing', () => {
    const e = fromOnnxTreeAttributes(regressor);
    assert.equal(e.nFeatures, 2);
    assert.equal(e.nOutputs, 2);
    // [0,0]: tree0 -> n2 [1,-1], tree1 -> n2 [0,20], + base = [1.5, 18.5]
    // [1,3]: tree0 -> n1 -> n4 [3,0.5], tree1 -> n1 [10,0], + base = [13.5, 0]
    // [1,NaN]: tree0 -> n1 -> (NaN tracks true) n3 [2,0], tree1 -> (NaN tracks true) n1 [10,0] = [12.5,-0.5]
    // [0.5,1]: 0.5 <= 0.5 -> n2 [1,-1]; 1 >= 1 -> n1 [10,0] = [11.5,-1.5]
    assert.deepEqual(
      predictRaw(e, [
        [0, 0],
        [1, 3],
        [1, Number.NaN],
        [0.5, 1],
      ]),
      [
        [1.5, 18.5],
        [13.5, 0],
        [12.5, -0.5],
        [11.5, -1.5],
      ],
    );
  });

  it('keeps consistent hit rates as covers and drops placeholder ones', () => {
    const e = fromOnnxTreeAttributes(regressor);
    assert.deepEqual([...e.trees[0]!.cover], [10, 4, 6, 5, 1]); // breadth-first from the root
    assert.deepEqual([...e.trees[1]!.cover], [0, 0, 0]);
    assert.throws(() => treeShap(e, [[0, 0]]), /tree 1 has no usable node covers/);
    const fixed = withCoversFromData(e, [
      [0, 0],
      [1, 3],
      [1, 0.5],
      [0, 2],
    ]);
    assert.deepEqual([...fixed.trees[1]!.cover], [4, 2, 2]);
    const r = treeShap(fixed, [[1, 3]]);
    // Tree 1 alone (covers 2/2): E = (10+0)/2 and (0+20)/2; tree 0 with hit rates 4/6 and 5/1.
    assert.ok(Math.abs(r.outputs[0]![0]! - 13.5) < 1e-12);
  });

  it('accepts bigint ids, byte-string modes and the *_as_tensor variants', () => {
    const enc = new TextEncoder();
    const e = fromOnnxTreeAttributes({
      nodes_treeids: [0n, 0n, 0n],
      nodes_nodeids: [0n, 1n, 2n],
      nodes_featureids: [2n, 0n, 0n],
      nodes_modes: [enc.encode('BRANCH_GT'), enc.encode('LEAF'), enc.encode('LEAF')],
      nodes_values_as_tensor: [0.25, 0, 0],
      nodes_truenodeids: [1n, 0n, 0n],
      nodes_falsenodeids: [2n, 0n, 0n],
      target_treeids: [0n, 0n],
      target_nodeids: [1n, 2n],
      target_ids: [0n, 0n],
      target_weights_as_tensor: [7, -7],
      aggregate_function: enc.encode('AVERAGE'),
    });
    assert.equal(e.nFeatures, 3);
    assert.equal(e.aggregate, 'AVERAGE');
    assert.deepEqual(
      predictRaw(e, [
        [0, 0, 1],
        [0, 0, 0],
      ]),
      [[7], [-7]],
    );
  });

  it('turns a binary classifier with one weight column into a positive-class margin', () => {
    const e = fromOnnxTreeAttributes({
      nodes_treeids: [0, 0, 0],
      nodes_nodeids: [0, 1, 2],
      nodes_featureids: [0, 0, 0],
      nodes_modes: ['BRANCH_LEQ', 'LEAF', 'LEAF'],
      nodes_values: [0, 0, 0],
      nodes_truenodeids: [1, 0, 0],
      nodes_falsenodeids: [2, 0, 0],
      class_treeids: [0, 0],
      class_nodeids: [1, 2],
      class_ids: [1, 1],
      class_weights: [-1, 2],
      classlabels_int64s: [0, 1],
      base_values: [0, 0.5],
      post_transform: 'LOGISTIC',
    });
    assert.equal(e.binaryMargin, true);
    assert.equal(e.nOutputs, 1);
    assert.deepEqual(predictRaw(e, [[1]]), [[2.5]]);
    const p = 1 / (1 + Math.exp(-2.5));
    const [p0, p1] = predictTransformed(e, [[1]])[0]!;
    assert.ok(Math.abs(p1! - p) < 1e-15 && Math.abs(p0! - (1 - p)) < 1e-15);
  });

  it('keeps one output per class for multi-class classifiers and applies SOFTMAX', () => {
    const e = fromOnnxTreeAttributes({
      nodes_treeids: [0, 0, 0],
      nodes_nodeids: [0, 1, 2],
      nodes_featureids: [0, 0, 0],
      nodes_modes: ['BRANCH_LEQ', 'LEAF', 'LEAF'],
      nodes_values: [0, 0, 0],
      nodes_truenodeids: [1, 0, 0],
      nodes_falsenodeids: [2, 0, 0],
      class_treeids: [0, 0, 0],
      class_nodeids: [1, 2, 2],
      class_ids: [0, 1, 2],
      class_weights: [1, 2, 3],
      classlabels_strings: ['a', 'b', 'c'],
      post_transform: 'SOFTMAX',
    });
    assert.deepEqual(e.classLabels, ['a', 'b', 'c']);
    assert.deepEqual(predictRaw(e, [[1]]), [[0, 2, 3]]);
    const probs = predictTransformed(e, [[1]])[0]!;
    const z = 1 + Math.exp(2) + Math.exp(3);
    for (const [i, v] of [1 / z, Math.exp(2) / z, Math.exp(3) / z].entries())
      assert.ok(Math.abs(probs[i]! - v) < 1e-15);
  });

  it('rejects malformed trees with a clear message', () => {
    const bad = (patch: Partial<OnnxTreeAttributes>) => () =>
      fromOnnxTreeAttributes({ ...regressor, ...patch });
    assert.throws(
      bad({ nodes_modes: ['LEAF', 'BRANCH_XX', 'LEAF', 'BRANCH_LT', 'LEAF', 'BRANCH_GTE', 'LEAF', 'LEAF'] }),
      /unknown node mode/,
    );
    assert.throws(bad({ nodes_truenodeids: [0, 2, 0, 9, 0, 1, 0, 0] }), /roots|missing node/);
    assert.throws(bad({ nodes_values: [0, 1] }), /nodes_values has 2 entries/);
    assert.throws(bad({ target_nodeids: [0, 2, 3, 4, 4, 1, 2] }), /internal node 0/);
    assert.throws(bad({ post_transform: 'CUBE' }), /post_transform/);
  });
});
