import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import {
  attr,
  encodeOnnxModel,
  evaluateTreeEnsemble,
  linearRegressionToOnnx,
  makeModel,
  makeNode,
  readOnnxModel,
  readTreeEnsemble,
  type TreeEnsembleAttributes,
  type TreeStructure,
  tensorValue,
  treeEnsembleClassifierAttributes,
  treeEnsembleRegressorAttributes,
  treeEnsembleToOnnx,
} from './index.js';
import { runWithOrt, toRows } from './ort-harness.js';
import { assertClose, randomRows, seededUniform } from './test-data.js';

const N_FEATURES = 4;

/** A random full tree of the given depth whose leaves hold `width` values from `leaf`. */
function randomTree(
  depth: number,
  width: number,
  seed: number,
  leaf: (u: () => number) => number,
): TreeStructure {
  const u = seededUniform(seed);
  const t = {
    feature: [] as number[],
    threshold: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
  };
  const grow = (d: number): number => {
    const id = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(...new Array(width).fill(0));
    if (d === depth || (d > 0 && u() < 0.2)) {
      for (let k = 0; k < width; k++) t.value[id * width + k] = leaf(u);
      return id;
    }
    t.feature[id] = Math.floor(u() * N_FEATURES);
    t.threshold[id] = Math.fround(u() * 4 - 2);
    t.left[id] = grow(d + 1);
    t.right[id] = grow(d + 1);
    return id;
  };
  grow(0);
  return { ...t, width };
}

/** Independent reference: walk the array-form trees directly. */
function leafValues(tree: TreeStructure, row: readonly number[]): number[] {
  let i = 0;
  while (tree.left[i]! >= 0)
    i = row[tree.feature[i]!]! <= tree.threshold[i]! ? tree.left[i]! : tree.right[i]!;
  return Array.from({ length: tree.width }, (_, k) => tree.value[i * tree.width + k]!);
}

const rows = randomRows(80, N_FEATURES, 5, 2.5);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const f32 = (values: readonly number[]) => values.map(Math.fround);
const isCode = (code: string) => (e: unknown) => e instanceof OspreyError && e.code === code;

async function assertOrtMatchesEvaluator(a: TreeEnsembleAttributes): Promise<void> {
  const bytes = treeEnsembleToOnnx(a, { nFeatures: N_FEATURES });
  const ort = await runWithOrt(bytes, rows);
  const ours = evaluateTreeEnsemble(readTreeEnsemble(readOnnxModel(bytes)), rows);
  if (a.op === 'TreeEnsembleRegressor') {
    assertClose(ort.variable!.data as number[], ours.scores.flat(), 1e-5, 1e-5);
  } else {
    assertClose(ort.probabilities!.data as number[], ours.scores.flat(), 1e-5, 1e-5);
    assert.deepEqual(ort.label!.data, ours.labels);
  }
}

describe('tree ensemble attributes', () => {
  const regTrees = [1, 2, 3].map((s) => randomTree(3, 2, s, (u) => u() * 10 - 5));

  it('round-trip write → read gives back the same attributes (floats at float32 precision)', () => {
    const a = treeEnsembleRegressorAttributes(regTrees, {
      baseValues: [0.5, -0.5],
      aggregateFunction: 'AVERAGE',
    });
    a.nodes_hitrates = a.nodes_treeids.map(() => 1);
    const back = readTreeEnsemble(readOnnxModel(treeEnsembleToOnnx(a)));
    assert.deepEqual(back, {
      ...a,
      nodes_values: f32(a.nodes_values),
      target_weights: f32(a.target_weights),
      nodes_hitrates: a.nodes_hitrates,
    });
    const c = treeEnsembleClassifierAttributes([randomTree(2, 3, 9, (u) => u())], {
      classLabels: [4, 5, 6],
      postTransform: 'SOFTMAX',
    });
    const backC = readTreeEnsemble(readOnnxModel(treeEnsembleToOnnx(c)));
    assert.deepEqual(backC, { ...c, nodes_values: f32(c.nodes_values), class_weights: f32(c.class_weights) });
  });

  it('regressor aggregates match a direct walk of the trees in onnxruntime', async () => {
    for (const aggregateFunction of ['SUM', 'AVERAGE', 'MIN', 'MAX'] as const) {
      const a = treeEnsembleRegressorAttributes(regTrees, {
        baseValues: [1, 2],
        aggregateFunction,
        scale: 0.5,
      });
      const out = await runWithOrt(treeEnsembleToOnnx(a), rows);
      const expected = rows.flatMap((r) => {
        const votes = regTrees.map((t) => leafValues(t, r).map((v) => v * 0.5));
        return [0, 1].map((k) => {
          const col = votes.map((v) => v[k]!);
          const agg = {
            SUM: col.reduce((x, y) => x + y, 0),
            AVERAGE: col.reduce((x, y) => x + y, 0) / col.length,
            MIN: Math.min(...col),
            MAX: Math.max(...col),
          }[aggregateFunction];
          return agg + (k === 0 ? 1 : 2);
        });
      });
      assertClose(out.variable!.data as number[], expected, 1e-5, 1e-5);
      await assertOrtMatchesEvaluator(a);
    }
  });

  it('binary probability ensembles (random-forest layout) give [1 − s, s] and label s > 0.5', async () => {
    // Continuous leaf probabilities: exact ties at s = 0.5 would depend on float32 summation order.
    const trees = [11, 12, 13, 14, 15].map((s) => randomTree(3, 1, s, (u) => u()));
    const a = treeEnsembleClassifierAttributes(trees, { classLabels: [0, 1], scale: 1 / trees.length });
    const out = await runWithOrt(treeEnsembleToOnnx(a), rows);
    const s = rows.map((r) => trees.reduce((acc, t) => acc + leafValues(t, r)[0]!, 0) / trees.length);
    assertClose(
      out.probabilities!.data as number[],
      s.flatMap((p) => [1 - p, p]),
      1e-5,
      1e-5,
    );
    assert.deepEqual(
      out.label!.data,
      s.map((p) => (p > 0.5 ? 1 : 0)),
    );
    await assertOrtMatchesEvaluator(a);
  });

  it('binary boosting ensembles apply LOGISTIC to base + Σ leaves, labels by margin > 0 even when every leaf is positive', async () => {
    for (const leaf of [(u: () => number) => u() * 2 - 1, (u: () => number) => u() + 0.1]) {
      const trees = [21, 22, 23].map((s) => randomTree(3, 1, s, leaf));
      const a = treeEnsembleClassifierAttributes(trees, {
        classLabels: [0, 1],
        scale: 0.3,
        baseValues: [-0.4],
        postTransform: 'LOGISTIC',
      });
      assert.ok(a.class_weights.some((w) => w < 0));
      const out = await runWithOrt(treeEnsembleToOnnx(a), rows);
      const margin = rows.map((r) => -0.4 + 0.3 * trees.reduce((acc, t) => acc + leafValues(t, r)[0]!, 0));
      assertClose(
        out.probabilities!.data as number[],
        margin.flatMap((m) => [sigmoid(-m), sigmoid(m)]),
        1e-5,
        1e-5,
      );
      assert.deepEqual(
        out.label!.data,
        margin.map((m) => (m > 0 ? 1 : 0)),
      );
      await assertOrtMatchesEvaluator(a);
    }
  });

  it('multiclass classifiers match the evaluator for every supported post_transform', async () => {
    const trees = [31, 32].map((s) => randomTree(3, 3, s, (u) => u() * 2 - 0.5));
    for (const postTransform of ['NONE', 'SOFTMAX', 'LOGISTIC', 'SOFTMAX_ZERO'] as const) {
      await assertOrtMatchesEvaluator(
        treeEnsembleClassifierAttributes(trees, {
          classLabels: [7, 8, 9],
          postTransform,
          baseValues: [0.1, 0, -0.1],
        }),
      );
    }
    const binaryMargin = treeEnsembleClassifierAttributes([randomTree(3, 1, 40, (u) => u() - 0.5)], {
      classLabels: [0, 1],
    });
    await assertOrtMatchesEvaluator(binaryMargin);
    // onnxruntime's rule, mirrored by the evaluator: with all-positive weights the label uses s > 0.5
    // even under LOGISTIC, which is why the builder shifts boosting weights to mixed signs.
    const positive = treeEnsembleClassifierAttributes([randomTree(3, 1, 41, (u) => u())], {
      classLabels: [0, 1],
    });
    await assertOrtMatchesEvaluator({ ...positive, post_transform: 'LOGISTIC' });
  });

  it('string class labels come back from onnxruntime as strings', async () => {
    const a = treeEnsembleClassifierAttributes([randomTree(2, 3, 50, (u) => u())], {
      classLabels: [0, 1, 2],
    });
    const { classlabels_int64s: _unused, ...rest } = a;
    const withStrings: TreeEnsembleAttributes = { ...rest, classlabels_strings: ['cat', 'dog', 'eel'] };
    const out = await runWithOrt(treeEnsembleToOnnx(withStrings, { nFeatures: N_FEATURES }), rows);
    const ours = evaluateTreeEnsemble(withStrings, rows);
    assert.deepEqual(out.label!.data, ours.labels);
    assert.deepEqual(toRows(out.probabilities!.data as number[], 3).length, rows.length);
  });

  it('reads opset-3 *_as_tensor attributes and fills spec defaults', () => {
    const dbl = (name: string, values: number[]) => ({
      name,
      type: 'tensor' as const,
      value: {
        name: '',
        dims: [values.length],
        dataType: 'double' as const,
        values: Float64Array.from(values),
      },
    });
    const node = makeNode(
      'TreeEnsembleRegressor',
      ['input'],
      ['variable'],
      [
        attr.ints('nodes_treeids', [0, 0, 0]),
        attr.ints('nodes_nodeids', [0, 1, 2]),
        attr.ints('nodes_featureids', [1, 0, 0]),
        attr.strings('nodes_modes', ['BRANCH_LT', 'LEAF', 'LEAF']),
        dbl('nodes_values_as_tensor', [0.1]),
        attr.ints('nodes_truenodeids', [1, 0, 0]),
        attr.ints('nodes_falsenodeids', [2, 0, 0]),
        attr.ints('target_ids', [0, 0]),
        attr.ints('target_nodeids', [1, 2]),
        attr.ints('target_treeids', [0, 0]),
        dbl('target_weights_as_tensor', [0.1, 0.2]),
      ],
      'ai.onnx.ml',
    );
    const model = makeModel(
      {
        name: 'x',
        nodes: [node],
        initializers: [],
        inputs: [tensorValue('input', 'float', ['N', 2])],
        outputs: [tensorValue('variable', 'float', ['N', 1])],
      },
      {},
      true,
    );
    const a = readTreeEnsemble(readOnnxModel(encodeOnnxModel(model)));
    assert.equal(a.op, 'TreeEnsembleRegressor');
    if (a.op !== 'TreeEnsembleRegressor') return;
    assert.deepEqual(a.nodes_values, [0.1]);
    assert.deepEqual(a.target_weights, [0.1, 0.2]);
    assert.equal(a.post_transform, 'NONE');
    assert.equal(a.aggregate_function, 'SUM');
    assert.equal(a.n_targets, 1);
    assert.deepEqual(a.base_values, []);
    assert.deepEqual(a.nodes_missing_value_tracks_true, [0, 0, 0]);
    assert.equal(a.nodes_hitrates, undefined);
  });

  it('reports missing ensembles and invalid attributes', () => {
    const linear = readOnnxModel(linearRegressionToOnnx({ coefficients: [[1]], intercepts: [0] }));
    assert.throws(() => readTreeEnsemble(linear), isCode('NOT_FOUND'));
    const a = treeEnsembleRegressorAttributes(regTrees);
    assert.throws(
      () => treeEnsembleToOnnx({ ...a, nodes_values: a.nodes_values.slice(1) }),
      isCode('INVALID_ARGUMENT'),
    );
    assert.throws(
      () => treeEnsembleToOnnx({ ...a, aggregate_function: 'MEDIAN' as 'SUM' }),
      isCode('INVALID_ARGUMENT'),
    );
    assert.throws(() => treeEnsembleToOnnx(a, { nFeatures: 1 }), isCode('INVALID_ARGUMENT'));
    assert.throws(
      () => treeEnsembleClassifierAttributes(regTrees, { classLabels: [0, 1, 2] }),
      isCode('INVALID_ARGUMENT'),
    );
  });
});
