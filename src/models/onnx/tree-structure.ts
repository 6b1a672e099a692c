import { invalidArgument } from '../../errors/index.js';
import { requireFinite } from './builders.js';
import type {
  AggregateFunction,
  PostTransform,
  TreeEnsembleClassifierAttributes,
  TreeEnsembleNodeAttributes,
  TreeEnsembleRegressorAttributes,
} from './tree-ensemble-attributes.js';

/**
 * One binary tree in array form (the layout sklearn's `tree_` uses): node i is a leaf when
 * left[i] < 0; otherwise x[feature[i]] <= threshold[i] goes to left[i], else to right[i].
 * Leaf i carries `width` values at value[i * width .. i * width + width - 1].
 * Children must have larger ids than their parent (preorder numbering satisfies this).
 */
export interface TreeStructure {
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  value: ArrayLike<number>;
  width: number;
  /** Training samples per node; when every tree has them they are written as nodes_hitrates (TreeSHAP covers). */
  samples?: ArrayLike<number>;
}

interface LeafVote {
  tree: number;
  node: number;
  slot: number;
  weight: number;
}

function flatten(
  trees: readonly TreeStructure[],
  scale: number,
): {
  nodes: Omit<TreeEnsembleNodeAttributes, 'base_values' | 'post_transform'>;
  votes: LeafVote[];
  width: number;
} {
  if (trees.length === 0) throw invalidArgument('a tree ensemble needs at least one tree');
  const width = trees[0]!.width;
  const nodes = {
    nodes_treeids: [] as number[],
    nodes_nodeids: [] as number[],
    nodes_featureids: [] as number[],
    nodes_modes: [] as TreeEnsembleNodeAttributes['nodes_modes'],
    nodes_values: [] as number[],
    nodes_truenodeids: [] as number[],
    nodes_falsenodeids: [] as number[],
    nodes_missing_value_tracks_true: [] as number[],
  };
  const votes: LeafVote[] = [];
  trees.forEach((tree, t) => {
    const n = tree.feature.length;
    if (tree.width !== width) throw invalidArgument(`tree ${t} has width ${tree.width}, tree 0 has ${width}`);
    if (
      [tree.threshold, tree.left, tree.right].some((a) => a.length !== n) ||
      tree.value.length !== n * width
    ) {
      throw invalidArgument(
        `tree ${t}: feature/threshold/left/right must have one entry per node and value width × nodes`,
      );
    }
    for (let i = 0; i < n; i++) {
      const leaf = tree.left[i]! < 0;
      nodes.nodes_treeids.push(t);
      nodes.nodes_nodeids.push(i);
      nodes.nodes_featureids.push(leaf ? 0 : tree.feature[i]!);
      nodes.nodes_modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      nodes.nodes_values.push(leaf ? 0 : tree.threshold[i]!);
      nodes.nodes_truenodeids.push(leaf ? 0 : tree.left[i]!);
      nodes.nodes_falsenodeids.push(leaf ? 0 : tree.right[i]!);
      nodes.nodes_missing_value_tracks_true.push(0);
      if (!leaf) {
        for (const child of [tree.left[i]!, tree.right[i]!]) {
          if (!Number.isInteger(child) || child <= i || child >= n) {
            throw invalidArgument(`tree ${t} node ${i}: child ${child} must be a later node id`);
          }
        }
        continue;
      }
      for (let k = 0; k < width; k++)
        votes.push({ tree: t, node: i, slot: k, weight: tree.value[i * width + k]! * scale });
    }
  });
  if (trees.every((t) => t.samples !== undefined && t.samples.length === t.feature.length)) {
    const hitrates = trees.flatMap((t) => Array.from(t.samples!));
    requireFinite('samples', hitrates);
    return { nodes: { ...nodes, nodes_hitrates: hitrates }, votes, width };
  }
  return { nodes, votes, width };
}

/** Options for {@link treeEnsembleRegressorAttributes}. */
export interface RegressorBuildOptions {
  /** Multiplies every leaf value (e.g. the boosting learning rate). Default 1. */
  scale?: number;
  baseValues?: number[];
  aggregateFunction?: AggregateFunction;
}

/** Converts array-form trees into TreeEnsembleRegressor attributes (n_targets = tree width). */
export function treeEnsembleRegressorAttributes(
  trees: readonly TreeStructure[],
  options: RegressorBuildOptions = {},
): TreeEnsembleRegressorAttributes {
  const { nodes, votes, width } = flatten(trees, options.scale ?? 1);
  return {
    op: 'TreeEnsembleRegressor',
    ...nodes,
    base_values: options.baseValues ?? [],
    post_transform: 'NONE',
    n_targets: width,
    aggregate_function: options.aggregateFunction ?? 'SUM',
    target_ids: votes.map((v) => v.slot),
    target_nodeids: votes.map((v) => v.node),
    target_treeids: votes.map((v) => v.tree),
    target_weights: votes.map((v) => v.weight),
  };
}

/** Options for {@link treeEnsembleClassifierAttributes}. */
export interface ClassifierBuildOptions {
  classLabels: readonly number[];
  scale?: number;
  baseValues?: number[];
  postTransform?: PostTransform;
}

/**
 * Converts array-form trees into TreeEnsembleClassifier attributes. With C > 2 labels each leaf
 * holds C scores (class_ids 0..C-1). With 2 labels each leaf holds one score, the positive
 * class's, written under class id 0: the binary convention onnxruntime and skl2onnx share
 * (see TreeEnsembleClassifierAttributes).
 */
export function treeEnsembleClassifierAttributes(
  trees: readonly TreeStructure[],
  options: ClassifierBuildOptions,
): TreeEnsembleClassifierAttributes {
  const nLabels = options.classLabels.length;
  if (nLabels < 2) throw invalidArgument('a classifier needs at least 2 class labels');
  const { nodes, votes, width } = flatten(trees, options.scale ?? 1);
  const expected = nLabels === 2 ? 1 : nLabels;
  if (width !== expected) {
    throw invalidArgument(
      `trees of a ${nLabels}-class classifier must have leaf width ${expected}, got ${width}`,
    );
  }
  const baseValues = [...(options.baseValues ?? [])];
  const postTransform = options.postTransform ?? 'NONE';
  // onnxruntime labels a binary row positive when s > 0.5 if every class weight is ≥ 0 (it reads s as
  // a probability) and when s > 0 otherwise (tree_ensemble_aggregator.h, _set_score_binary). A margin
  // needs the second rule, so if every weight is ≥ 0, lower every leaf of tree 0 by the same amount
  // and raise the base value by it: each row reaches exactly one leaf per tree, so s is unchanged.
  if (nLabels === 2 && postTransform === 'LOGISTIC' && votes.every((v) => v.weight >= 0)) {
    const shift = Math.max(...votes.filter((v) => v.tree === 0).map((v) => v.weight)) + 1;
    for (const v of votes) if (v.tree === 0) v.weight -= shift;
    baseValues[0] = (baseValues[0] ?? 0) + shift;
  }
  return {
    op: 'TreeEnsembleClassifier',
    ...nodes,
    base_values: baseValues,
    post_transform: postTransform,
    class_ids: votes.map((v) => v.slot),
    class_nodeids: votes.map((v) => v.node),
    class_treeids: votes.map((v) => v.tree),
    class_weights: votes.map((v) => v.weight),
    classlabels_int64s: [...options.classLabels],
  };
}
