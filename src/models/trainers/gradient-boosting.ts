import { invalidArgument } from '../../errors/index.js';
import { createRng, type Rng } from '../../random/index.js';
import {
  type OnnxExportOptions,
  treeEnsembleClassifierAttributes,
  treeEnsembleRegressorAttributes,
  treeEnsembleToOnnx,
} from '../onnx/index.js';
import { type GrownTree, growTree, leafIndex, presort } from './cart.js';
import { encodeLabels, type FeatureRows, positiveInt, positiveNumber, toDesign, toTargets } from './data.js';
import type { ClassificationModel, RegressionModel } from './model-types.js';
import { resolveCartOptions, type TreeGrowthOptions } from './tree-options.js';

/** Options for gradient boosting (sklearn GradientBoosting* names and defaults). */
export interface GradientBoostingOptions extends TreeGrowthOptions {
  /** Boosting stages (default 100). */
  nEstimators?: number;
  /** Shrinkage ν applied to every tree (default 0.1). */
  learningRate?: number;
  /** Fraction of rows drawn without replacement per stage (default 1: deterministic). */
  subsample?: number;
  seed?: number;
}

/** F(x) = init + ν Σ tree_m(x), squared loss. */
export interface GradientBoostingRegressorModel extends RegressionModel {
  readonly kind: 'gradient_boosting_regressor';
  readonly init: number;
  readonly learningRate: number;
  readonly trees: readonly GrownTree[];
}

/** Binary classifier: P(classes[1] | x) = σ(init + ν Σ tree_m(x)), log loss. */
export interface GradientBoostingClassifierModel extends ClassificationModel {
  readonly kind: 'gradient_boosting_classifier';
  readonly init: number;
  readonly learningRate: number;
  readonly trees: readonly GrownTree[];
}

interface Stagewise {
  nEstimators: number;
  learningRate: number;
  subsample: number;
  rng: Rng;
}

function stagewise(options: GradientBoostingOptions): Stagewise {
  const subsample = positiveNumber('subsample', options.subsample, 1);
  if (subsample > 1) throw invalidArgument(`subsample must lie in (0, 1], got ${subsample}`);
  return {
    nEstimators: positiveInt('nEstimators', options.nEstimators, 100),
    learningRate: positiveNumber('learningRate', options.learningRate, 0.1),
    subsample,
    rng: createRng(options.seed ?? 0),
  };
}

// Stochastic gradient boosting (Friedman 2002): a random subset of rows, without replacement.
function stageRows(n: number, s: Stagewise): Int32Array | null {
  if (s.subsample >= 1) return null;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const m = Math.max(1, Math.floor(s.subsample * n));
  for (let i = 0; i < m; i++) {
    const j = i + s.rng.int(n - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.subarray(0, m).sort();
}

function rawScores(
  init: number,
  lr: number,
  trees: readonly GrownTree[],
  rows: FeatureRows,
  f: number,
): number[] {
  const d = toDesign(rows, f);
  return Array.from({ length: d.n }, (_, i) =>
    trees.reduce((s, t) => s + lr * t.value[leafIndex(t, d.data, i * f)]!, init),
  );
}

/** Gradient boosting for squared loss (Friedman 2001, Algorithm 2 "LS_Boost"): each tree fits residuals. */
export function trainGradientBoostingRegressor(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: GradientBoostingOptions = {},
): GradientBoostingRegressorModel {
  const { data, n, f } = toDesign(X);
  const targets = toTargets(y, n);
  const s = stagewise(options);
  const cart = resolveCartOptions({ maxDepth: 3, ...options }, 'squared_error', f);
  const sd = presort(data, n, f);
  const init = targets.reduce((a, b) => a + b, 0) / n;
  const score = new Float64Array(n).fill(init);
  const residual = new Float64Array(n);
  const trees: GrownTree[] = [];
  for (let m = 0; m < s.nEstimators; m++) {
    for (let i = 0; i < n; i++) residual[i] = targets[i]! - score[i]!;
    const tree = growTree(sd, { kind: 'values', y: residual }, stageRows(n, s), cart, s.rng);
    for (let i = 0; i < n; i++) score[i]! += s.learningRate * tree.value[leafIndex(tree, sd.x, i * f)]!;
    trees.push(tree);
  }
  const lr = s.learningRate;
  return {
    kind: 'gradient_boosting_regressor',
    nFeatures: f,
    init,
    learningRate: lr,
    trees,
    predict: (rows) => rawScores(init, lr, trees, rows, f),
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      treeEnsembleToOnnx(treeEnsembleRegressorAttributes(trees, { scale: lr, baseValues: [init] }), {
        nFeatures: f,
        ...exportOptions,
      }),
  };
}

/**
 * Binary gradient boosting with log loss (Friedman 2001, Algorithm 5 "L2_TreeBoost"): trees fit the
 * residuals y − p by squared error, then each leaf takes the Newton step Σr / Σp(1 − p) over its rows.
 */
export function trainGradientBoostingClassifier(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: GradientBoostingOptions = {},
): GradientBoostingClassifierModel {
  const { data, n, f } = toDesign(X);
  const { classes, index } = encodeLabels(y, n);
  if (classes.length !== 2)
    throw invalidArgument(`gradient boosting classification is binary; y has ${classes.length} classes`);
  const s = stagewise(options);
  const cart = resolveCartOptions({ maxDepth: 3, ...options }, 'squared_error', f);
  const sd = presort(data, n, f);
  const prior = index.reduce((a, b) => a + b, 0) / n;
  const init = Math.log(prior / (1 - prior));
  const score = new Float64Array(n).fill(init);
  const residual = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: GrownTree[] = [];
  for (let m = 0; m < s.nEstimators; m++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-score[i]!));
      residual[i] = index[i]! - p;
      hess[i] = p * (1 - p);
    }
    const rows = stageRows(n, s);
    const tree = growTree(sd, { kind: 'values', y: residual }, rows, cart, s.rng);
    const num = new Float64Array(tree.feature.length);
    const den = new Float64Array(tree.feature.length);
    const leaves = Int32Array.from({ length: n }, (_, i) => leafIndex(tree, sd.x, i * f));
    for (const i of rows ?? leaves.keys()) {
      num[leaves[i]!]! += residual[i]!;
      den[leaves[i]!]! += hess[i]!;
    }
    for (let node = 0; node < num.length; node++) {
      if (tree.left[node]! < 0)
        tree.value[node] = Math.abs(den[node]!) < 1e-150 ? 0 : num[node]! / den[node]!;
    }
    for (let i = 0; i < n; i++) score[i]! += s.learningRate * tree.value[leaves[i]!]!;
    trees.push(tree);
  }
  const lr = s.learningRate;
  const proba = (rows: FeatureRows) =>
    rawScores(init, lr, trees, rows, f).map((z) => {
      const p = 1 / (1 + Math.exp(-z));
      return [1 - p, p];
    });
  return {
    kind: 'gradient_boosting_classifier',
    nFeatures: f,
    classes,
    init,
    learningRate: lr,
    trees,
    predictProba: proba,
    predict: (rows) => rawScores(init, lr, trees, rows, f).map((z) => classes[z > 0 ? 1 : 0]!),
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      treeEnsembleToOnnx(
        treeEnsembleClassifierAttributes(trees, {
          classLabels: classes,
          scale: lr,
          baseValues: [init],
          postTransform: 'LOGISTIC',
        }),
        { nFeatures: f, ...exportOptions },
      ),
  };
}
