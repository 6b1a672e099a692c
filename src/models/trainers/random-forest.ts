import { createRng, type Rng } from '../../random/index.js';
import {
  type OnnxExportOptions,
  treeEnsembleClassifierAttributes,
  treeEnsembleRegressorAttributes,
  treeEnsembleToOnnx,
} from '../onnx/index.js';
import { type GrownTree, growTree, presort, type SortedDesign } from './cart.js';
import { argmax, encodeLabels, type FeatureRows, positiveInt, toDesign, toTargets } from './data.js';
import { treeValues } from './decision-tree.js';
import type { ClassificationModel, RegressionModel } from './model-types.js';
import { classTreeForOnnx, resolveCartOptions, type TreeGrowthOptions } from './tree-options.js';

/** Options shared by both forests. */
export interface RandomForestOptions extends TreeGrowthOptions {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /** Draw a bootstrap sample (n rows with replacement) per tree (default true). */
  bootstrap?: boolean;
  seed?: number;
}

/** Options for {@link trainRandomForestClassifier}; maxFeatures defaults to 'sqrt' as in sklearn. */
export interface RandomForestClassifierOptions extends RandomForestOptions {
  criterion?: 'gini' | 'entropy';
}

/** A forest of classification trees; probabilities are the mean of the trees' leaf class fractions. */
export interface RandomForestClassifierModel extends ClassificationModel {
  readonly kind: 'random_forest_classifier';
  readonly trees: readonly GrownTree[];
}

/** A forest of regression trees; the prediction is the mean of the trees' leaves. */
export interface RandomForestRegressorModel extends RegressionModel {
  readonly kind: 'random_forest_regressor';
  readonly trees: readonly GrownTree[];
}

function bootstrapRows(n: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(n));
}

function growForest(
  sd: SortedDesign,
  grow: (rows: Int32Array | null, rng: Rng) => GrownTree,
  options: RandomForestOptions,
): GrownTree[] {
  const nTrees = positiveInt('nEstimators', options.nEstimators, 100);
  const rng = createRng(options.seed ?? 0);
  const bootstrap = options.bootstrap ?? true;
  return Array.from({ length: nTrees }, () => grow(bootstrap ? bootstrapRows(sd.n, rng) : null, rng));
}

function meanValues(trees: readonly GrownTree[], rows: FeatureRows, f: number): number[][] {
  const d = toDesign(rows, f);
  const sums = Array.from({ length: d.n }, () => new Array<number>(trees[0]!.width).fill(0));
  for (const tree of trees) {
    treeValues(tree, d.data, d.n, f).forEach((v, i) => {
      const s = sums[i]!;
      for (let k = 0; k < v.length; k++) s[k]! += v[k]!;
    });
  }
  return sums.map((s) => s.map((v) => v / trees.length));
}

/** Trains a random forest classifier (Breiman 2001): bootstrap rows, random feature subsets per split, seeded. */
export function trainRandomForestClassifier(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: RandomForestClassifierOptions = {},
): RandomForestClassifierModel {
  const { data, n, f } = toDesign(X);
  const { classes, index } = encodeLabels(y, n);
  const cart = resolveCartOptions(options, options.criterion ?? 'gini', f, 'sqrt');
  const sd = presort(data, n, f);
  const target = { kind: 'classes' as const, y: index, nClasses: classes.length };
  const trees = growForest(sd, (rows, rng) => growTree(sd, target, rows, cart, rng), options);
  const proba = (rows: FeatureRows) => meanValues(trees, rows, f);
  return {
    kind: 'random_forest_classifier',
    nFeatures: f,
    classes,
    trees,
    predictProba: proba,
    predict: (rows) => proba(rows).map((p) => classes[argmax(p)]!),
    // Leaf fractions scaled by 1/T sum to the mean. With two classes onnxruntime labels a row positive
    // when that mean exceeds 0.5 in float32, so rows with an exact 0.5 tie may differ from predict().
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      treeEnsembleToOnnx(
        treeEnsembleClassifierAttributes(trees.map(classTreeForOnnx), {
          classLabels: classes,
          scale: 1 / trees.length,
        }),
        { nFeatures: f, ...exportOptions },
      ),
  };
}

/** Trains a random forest regressor (bootstrap rows; maxFeatures defaults to all features, as sklearn). */
export function trainRandomForestRegressor(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: RandomForestOptions = {},
): RandomForestRegressorModel {
  const { data, n, f } = toDesign(X);
  const targets = toTargets(y, n);
  const cart = resolveCartOptions(options, 'squared_error', f, 'all');
  const sd = presort(data, n, f);
  const trees = growForest(
    sd,
    (rows, rng) => growTree(sd, { kind: 'values', y: targets }, rows, cart, rng),
    options,
  );
  return {
    kind: 'random_forest_regressor',
    nFeatures: f,
    trees,
    predict: (rows) => meanValues(trees, rows, f).map((v) => v[0]!),
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      treeEnsembleToOnnx(treeEnsembleRegressorAttributes(trees, { aggregateFunction: 'AVERAGE' }), {
        nFeatures: f,
        ...exportOptions,
      }),
  };
}
