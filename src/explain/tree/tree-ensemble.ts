import { invalidArgument } from '../../errors/index.js';

/** ONNX `nodes_modes`: the comparison a node makes (`LEAF` marks a leaf). */
export type NodeMode =
  | 'BRANCH_LEQ'
  | 'BRANCH_LT'
  | 'BRANCH_GTE'
  | 'BRANCH_GT'
  | 'BRANCH_EQ'
  | 'BRANCH_NEQ'
  | 'LEAF';
/** ONNX `post_transform`. SHAP explains the raw margin, before this transform. */
export type PostTransform = 'NONE' | 'LOGISTIC' | 'SOFTMAX' | 'SOFTMAX_ZERO' | 'PROBIT';
/** ONNX `aggregate_function`. Only SUM and AVERAGE are additive over trees, so only they can be explained. */
export type Aggregate = 'SUM' | 'AVERAGE' | 'MIN' | 'MAX';

export const NODE_MODES: readonly NodeMode[] = [
  'BRANCH_LEQ',
  'BRANCH_LT',
  'BRANCH_GTE',
  'BRANCH_GT',
  'BRANCH_EQ',
  'BRANCH_NEQ',
  'LEAF',
];

/**
 * One tree as parallel arrays indexed by node (node 0 is the root), mirroring the per-node tuples of
 * ONNX `ai.onnx.ml.TreeEnsembleRegressor/Classifier`. "left" is the ONNX *true* branch (the child
 * taken when the node's comparison holds), "right" the *false* branch.
 */
export interface Tree {
  /** Feature tested at each node (`nodes_featureids`); -1 at leaves. */
  feature: Int32Array;
  /** Split value (`nodes_values`); 0 at leaves. */
  threshold: Float64Array;
  /** Comparison (`nodes_modes`). */
  mode: NodeMode[];
  /** Child taken when the comparison holds (`nodes_truenodeids`); -1 at leaves. */
  left: Int32Array;
  /** Child taken otherwise (`nodes_falsenodeids`); -1 at leaves. */
  right: Int32Array;
  /** 1 when a NaN input goes to the true/left child (`nodes_missing_value_tracks_true`). */
  missingGoesLeft: Uint8Array;
  /** Leaf outputs, node-major: `values[node * nOutputs + k]` (`target_weights`/`class_weights`); 0 inside. */
  values: Float64Array;
  /** Weight of the data reaching each node; ONNX has no such field (see covers.ts). */
  cover: Float64Array;
}

/** A tree ensemble: the sum (or average) of its trees plus per-output base values. */
export interface TreeEnsemble {
  nFeatures: number;
  nOutputs: number;
  trees: Tree[];
  /** Added after aggregation (`base_values`), length nOutputs. */
  baseValues: number[];
  aggregate: Aggregate;
  postTransform: PostTransform;
  /** Class labels per output for classifiers (`classlabels_*`); absent for regressors. */
  classLabels?: (string | number)[];
  /**
   * Binary classifier whose trees carry one score column: the single output is the margin of the
   * positive class and the probabilities are [1 - p, p] (onnxruntime's binary case).
   */
  binaryMargin?: boolean;
}

/** Plain-array description of one tree, as accepted by `createTree`. */
export interface TreeSpec {
  feature: number[];
  threshold: number[];
  mode?: NodeMode[];
  left: number[];
  right: number[];
  missingGoesLeft?: (boolean | number)[];
  /** `values[node]` = leaf output vector (length nOutputs) or a number for single-output trees. */
  values: (number | number[])[];
  cover?: number[];
}

/** Builds and validates a `Tree` from plain arrays (internal nodes default to BRANCH_LEQ). */
export function createTree(spec: TreeSpec, nOutputs = 1): Tree {
  const n = spec.feature.length;
  const lengths = [spec.threshold.length, spec.left.length, spec.right.length, spec.values.length];
  if (n === 0 || lengths.some((l) => l !== n))
    throw invalidArgument('tree arrays must be non-empty and equally long');
  const mode: NodeMode[] = spec.mode ? [...spec.mode] : spec.left.map((l) => (l < 0 ? 'LEAF' : 'BRANCH_LEQ'));
  const values = new Float64Array(n * nOutputs);
  spec.values.forEach((v, i) => {
    const vec = typeof v === 'number' ? [v] : v;
    if (vec.length !== nOutputs)
      throw invalidArgument(`tree node ${i} has ${vec.length} values, expected ${nOutputs}`);
    vec.forEach((x, k) => {
      values[i * nOutputs + k] = x;
    });
  });
  const tree: Tree = {
    feature: Int32Array.from(spec.feature),
    threshold: Float64Array.from(spec.threshold),
    mode,
    left: Int32Array.from(spec.left),
    right: Int32Array.from(spec.right),
    missingGoesLeft: Uint8Array.from((spec.missingGoesLeft ?? new Array(n).fill(0)).map((b) => (b ? 1 : 0))),
    values,
    cover: Float64Array.from(spec.cover ?? new Array(n).fill(0)),
  };
  validateTree(tree);
  return tree;
}

/** Checks a tree's structure: children in range, every node reached exactly once from the root. */
export function validateTree(tree: Tree, nFeatures?: number): void {
  const n = tree.feature.length;
  const seen = new Uint8Array(n);
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen[node]) throw invalidArgument(`tree node ${node} is reached twice (not a tree)`);
    seen[node] = 1;
    if (tree.mode[node] === 'LEAF') continue;
    if (!NODE_MODES.includes(tree.mode[node]!)) throw invalidArgument(`tree node ${node} has unknown mode`);
    const f = tree.feature[node]!;
    if (f < 0 || (nFeatures !== undefined && f >= nFeatures)) {
      throw invalidArgument(`tree node ${node} tests feature ${f}, outside [0, ${nFeatures ?? '?'})`);
    }
    for (const child of [tree.left[node]!, tree.right[node]!]) {
      if (child <= 0 || child >= n)
        throw invalidArgument(`tree node ${node} has child ${child} out of range`);
      stack.push(child);
    }
  }
  const orphan = seen.indexOf(0);
  if (orphan !== -1) throw invalidArgument(`tree node ${orphan} is not reachable from the root`);
}

/** Checks every tree of an ensemble and its output sizes. */
export function validateEnsemble(e: TreeEnsemble): void {
  if (!Number.isInteger(e.nOutputs) || e.nOutputs < 1)
    throw invalidArgument('ensemble nOutputs must be >= 1');
  if (!Number.isInteger(e.nFeatures) || e.nFeatures < 1)
    throw invalidArgument('ensemble nFeatures must be >= 1');
  if (e.trees.length === 0) throw invalidArgument('ensemble has no trees');
  if (e.baseValues.length !== e.nOutputs)
    throw invalidArgument('ensemble baseValues must have nOutputs entries');
  for (const t of e.trees) {
    if (t.values.length !== t.feature.length * e.nOutputs)
      throw invalidArgument('tree values do not match nOutputs');
    validateTree(t, e.nFeatures);
  }
}

/** Whether SHAP can explain this ensemble: its output must be a sum (or average) over trees. */
export function assertAdditive(e: TreeEnsemble): void {
  if (e.aggregate !== 'SUM' && e.aggregate !== 'AVERAGE') {
    throw invalidArgument(
      `aggregate_function ${e.aggregate} is not additive over trees; SHAP needs SUM or AVERAGE`,
    );
  }
}

/** Per-tree scale applied to leaf values: 1 for SUM, 1/T for AVERAGE. */
export function treeScale(e: TreeEnsemble): number {
  return e.aggregate === 'AVERAGE' ? 1 / e.trees.length : 1;
}

/** Maximum depth (edges from root to deepest leaf) over the ensemble's trees. */
export function maxDepth(e: TreeEnsemble): number {
  let best = 0;
  for (const t of e.trees) {
    const stack: [number, number][] = [[0, 0]];
    while (stack.length > 0) {
      const [node, d] = stack.pop()!;
      best = Math.max(best, d);
      if (t.mode[node] !== 'LEAF') stack.push([t.left[node]!, d + 1], [t.right[node]!, d + 1]);
    }
  }
  return best;
}
