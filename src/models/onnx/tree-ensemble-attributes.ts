/**
 * The attributes of the ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier operators
 * (docs/Operators-ml.md, versions 1 and 3), under their operator-spec names. Parallel arrays:
 * index i of every `nodes_*` array describes one node; index j of every `target_*` / `class_*`
 * array is one weighted vote of a leaf.
 */

/** Node modes: a branch compares x[featureid] with the node value; LEAF ends the walk. */
export type TreeNodeMode =
  | 'BRANCH_LEQ'
  | 'BRANCH_LT'
  | 'BRANCH_GTE'
  | 'BRANCH_GT'
  | 'BRANCH_EQ'
  | 'BRANCH_NEQ'
  | 'LEAF';

export const TREE_NODE_MODES: readonly TreeNodeMode[] = [
  'BRANCH_LEQ',
  'BRANCH_LT',
  'BRANCH_GTE',
  'BRANCH_GT',
  'BRANCH_EQ',
  'BRANCH_NEQ',
  'LEAF',
];

/** Transform applied to the summed scores. */
export type PostTransform = 'NONE' | 'SOFTMAX' | 'LOGISTIC' | 'SOFTMAX_ZERO' | 'PROBIT';

export const POST_TRANSFORMS: readonly PostTransform[] = [
  'NONE',
  'SOFTMAX',
  'LOGISTIC',
  'SOFTMAX_ZERO',
  'PROBIT',
];

/** How a regressor combines the trees' votes per target. */
export type AggregateFunction = 'SUM' | 'AVERAGE' | 'MIN' | 'MAX';

export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = ['SUM', 'AVERAGE', 'MIN', 'MAX'];

/** Attributes shared by both operators. */
export interface TreeEnsembleNodeAttributes {
  nodes_treeids: number[];
  nodes_nodeids: number[];
  nodes_featureids: number[];
  nodes_modes: TreeNodeMode[];
  nodes_values: number[];
  nodes_truenodeids: number[];
  nodes_falsenodeids: number[];
  /** 1 = a missing (NaN) feature follows the true branch. Absent in the file → all 0. */
  nodes_missing_value_tracks_true: number[];
  /** Optional in the spec; present only when the file has it. */
  nodes_hitrates?: number[];
  /** Added to the final scores; [] when absent. */
  base_values: number[];
  post_transform: PostTransform;
}

/** ai.onnx.ml TreeEnsembleRegressor. */
export interface TreeEnsembleRegressorAttributes extends TreeEnsembleNodeAttributes {
  op: 'TreeEnsembleRegressor';
  n_targets: number;
  aggregate_function: AggregateFunction;
  target_ids: number[];
  target_nodeids: number[];
  target_treeids: number[];
  target_weights: number[];
}

/**
 * ai.onnx.ml TreeEnsembleClassifier. Exactly one of classlabels_int64s / classlabels_strings is set.
 * Binary convention (onnxruntime, skl2onnx): with 2 labels and a single class id in class_ids, the
 * summed score s is the positive class's. onnxruntime 1.30 outputs [σ(−s), σ(s)] with LOGISTIC,
 * otherwise [1 − s, s] when all class_weights are ≥ 0 and [−s, s] when some are negative; the label
 * is positive when s > 0.5 (all weights ≥ 0) or s > 0 (some negative).
 */
export interface TreeEnsembleClassifierAttributes extends TreeEnsembleNodeAttributes {
  op: 'TreeEnsembleClassifier';
  class_ids: number[];
  class_nodeids: number[];
  class_treeids: number[];
  class_weights: number[];
  classlabels_int64s?: number[];
  classlabels_strings?: string[];
}

export type TreeEnsembleAttributes = TreeEnsembleRegressorAttributes | TreeEnsembleClassifierAttributes;
