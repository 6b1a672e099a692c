import { createRng } from '../../random/index.js';
import {
  type OnnxExportOptions,
  treeEnsembleClassifierAttributes,
  treeEnsembleRegressorAttributes,
  treeEnsembleToOnnx,
} from '../onnx/index.js';
import { type GrownTree, growTree, leafIndex, presort } from './cart.js';
import { argmax, encodeLabels, type FeatureRows, toDesign, toTargets } from './data.js';
import type { ClassificationModel, RegressionModel } from './model-types.js';
import { classTreeForOnnx, resolveCartOptions, type TreeGrowthOptions } from './tree-options.js';

/** Options for {@link trainDecisionTreeClassifier}. */
export interface DecisionTreeClassifierOptions extends TreeGrowthOptions {
  criterion?: 'gini' | 'entropy';
  /** Seeds feature subsampling when maxFeatures < F. */
  seed?: number;
}

/** Options for {@link trainDecisionTreeRegressor}. */
export interface DecisionTreeRegressorOptions extends TreeGrowthOptions {
  seed?: number;
}

/** A CART classification tree; leaves hold class fractions. */
export interface DecisionTreeClassifierModel extends ClassificationModel {
  readonly kind: 'decision_tree_classifier';
  readonly tree: GrownTree;
}

/** A CART regression tree; leaves hold mean targets. */
export interface DecisionTreeRegressorModel extends RegressionModel {
  readonly kind: 'decision_tree_regressor';
  readonly tree: GrownTree;
}

/** Leaf values of each row for one tree (width values per row). */
export function treeValues(tree: GrownTree, data: Float64Array, n: number, f: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => {
    const leaf = leafIndex(tree, data, i * f);
    return tree.value.subarray(leaf * tree.width, leaf * tree.width + tree.width);
  });
}

/** Trains a CART classifier (Gini or entropy; sklearn DecisionTreeClassifier rules). */
export function trainDecisionTreeClassifier(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: DecisionTreeClassifierOptions = {},
): DecisionTreeClassifierModel {
  const { data, n, f } = toDesign(X);
  const { classes, index } = encodeLabels(y, n);
  const cart = resolveCartOptions(options, options.criterion ?? 'gini', f);
  const tree = growTree(
    presort(data, n, f),
    { kind: 'classes', y: index, nClasses: classes.length },
    null,
    cart,
    createRng(options.seed ?? 0),
  );
  const proba = (rows: FeatureRows) => {
    const d = toDesign(rows, f);
    return treeValues(tree, d.data, d.n, f).map((v) => Array.from(v));
  };
  return {
    kind: 'decision_tree_classifier',
    nFeatures: f,
    classes,
    tree,
    predictProba: proba,
    predict: (rows) => proba(rows).map((p) => classes[argmax(p)]!),
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      treeEnsembleToOnnx(
        treeEnsembleClassifierAttributes([classTreeForOnnx(tree)], { classLabels: classes }),
        {
          nFeatures: f,
          ...exportOptions,
        },
      ),
  };
}

/** Trains a CART regressor (squared error; sklearn DecisionTreeRegressor rules). */
export function trainDecisionTreeRegressor(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: DecisionTreeRegressorOptions = {},
): DecisionTreeRegressorModel {
  const { data, n, f } = toDesign(X);
  const targets = toTargets(y, n);
  const cart = resolveCartOptions(options, 'squared_error', f);
  const tree = growTree(
    presort(data, n, f),
    { kind: 'values', y: targets },
    null,
    cart,
    createRng(options.seed ?? 0),
  );
  return {
    kind: 'decision_tree_regressor',
    nFeatures: f,
    tree,
    predict: (rows) => {
      const d = toDesign(rows, f);
      return treeValues(tree, d.data, d.n, f).map((v) => v[0]!);
    },
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      treeEnsembleToOnnx(treeEnsembleRegressorAttributes([tree]), { nFeatures: f, ...exportOptions }),
  };
}
