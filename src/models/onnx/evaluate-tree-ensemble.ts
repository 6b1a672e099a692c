import { invalidArgument } from '../../errors/index.js';
import { validateTreeEnsemble } from './tree-ensemble.js';
import type { PostTransform, TreeEnsembleAttributes, TreeNodeMode } from './tree-ensemble-attributes.js';

/** Scores per row (after post_transform) and, for classifiers, the predicted labels. */
export interface TreeEnsembleOutput {
  scores: number[][];
  labels?: (number | string)[];
}

interface CompiledNode {
  mode: TreeNodeMode;
  feature: number;
  value: number;
  tracksMissing: boolean;
  trueChild: number;
  falseChild: number;
  votes: { id: number; weight: number }[];
}

function compile(a: TreeEnsembleAttributes): CompiledNode[][] {
  const trees = new Map<number, Map<number, CompiledNode>>();
  a.nodes_treeids.forEach((tree, i) => {
    if (!trees.has(tree)) trees.set(tree, new Map());
    trees.get(tree)!.set(a.nodes_nodeids[i]!, {
      mode: a.nodes_modes[i]!,
      feature: a.nodes_featureids[i]!,
      value: a.nodes_values[i]!,
      tracksMissing: a.nodes_missing_value_tracks_true[i] === 1,
      trueChild: a.nodes_truenodeids[i]!,
      falseChild: a.nodes_falsenodeids[i]!,
      votes: [],
    });
  });
  const [ids, nodeIds, treeIds, weights] =
    a.op === 'TreeEnsembleRegressor'
      ? [a.target_ids, a.target_nodeids, a.target_treeids, a.target_weights]
      : [a.class_ids, a.class_nodeids, a.class_treeids, a.class_weights];
  ids.forEach((id, j) => {
    const node = trees.get(treeIds[j]!)?.get(nodeIds[j]!);
    if (node === undefined)
      throw invalidArgument(`vote ${j} points at a missing node (tree ${treeIds[j]}, node ${nodeIds[j]})`);
    node.votes.push({ id, weight: weights[j]! });
  });
  // Node ids start at 0 in every tree (Operators-ml.md), so node 0 is the root; re-index densely.
  return [...trees.values()].map((nodes) => {
    const dense: CompiledNode[] = [];
    for (const [id, node] of nodes) dense[id] = node;
    return dense;
  });
}

function goesTrue(node: CompiledNode, x: number): boolean {
  if (Number.isNaN(x) && node.tracksMissing) return true;
  switch (node.mode) {
    case 'BRANCH_LEQ':
      return x <= node.value;
    case 'BRANCH_LT':
      return x < node.value;
    case 'BRANCH_GTE':
      return x >= node.value;
    case 'BRANCH_GT':
      return x > node.value;
    case 'BRANCH_EQ':
      return x === node.value;
    default:
      return x !== node.value;
  }
}

function leafOf(tree: CompiledNode[], row: ArrayLike<number>): CompiledNode {
  let node = tree[0];
  for (let steps = 0; node !== undefined && node.mode !== 'LEAF'; steps++) {
    if (steps > tree.length) throw invalidArgument('tree ensemble contains a cycle');
    // onnxruntime reads float32 features; rounding here keeps branch decisions identical.
    node =
      tree[goesTrue(node, Math.fround(row[node.feature] ?? Number.NaN)) ? node.trueChild : node.falseChild];
  }
  if (node === undefined) throw invalidArgument('tree ensemble walks to a missing node');
  return node;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function transform(scores: number[], post: PostTransform): number[] {
  switch (post) {
    case 'NONE':
      return scores;
    case 'LOGISTIC':
      return scores.map(sigmoid);
    case 'SOFTMAX':
    case 'SOFTMAX_ZERO': {
      // SOFTMAX_ZERO leaves exact zeros at zero and normalises the rest (onnxruntime ml_common.h).
      const skip = (s: number) => post === 'SOFTMAX_ZERO' && s === 0;
      const max = Math.max(...scores.filter((s) => !skip(s)));
      const exps = scores.map((s) => (skip(s) ? 0 : Math.exp(s - max)));
      const total = exps.reduce((x, y) => x + y, 0);
      return exps.map((e) => (total > 0 ? e / total : 0));
    }
    default:
      throw invalidArgument(`post_transform ${post} is not supported by evaluateTreeEnsemble`);
  }
}

/**
 * Evaluates tree-ensemble attributes on rows in TypeScript, following onnxruntime's CPU kernels
 * (including the two-label single-class-id convention described on TreeEnsembleClassifierAttributes).
 * Features are rounded to float32 as onnxruntime's float input is; scores are summed in float64.
 */
export function evaluateTreeEnsemble(
  a: TreeEnsembleAttributes,
  rows: readonly ArrayLike<number>[],
): TreeEnsembleOutput {
  validateTreeEnsemble(a);
  const trees = compile(a);
  const nOut =
    a.op === 'TreeEnsembleRegressor'
      ? a.n_targets
      : (a.classlabels_int64s ?? a.classlabels_strings ?? []).length;
  const sums = rows.map((row) => {
    const acc = {
      sum: new Array<number>(nOut).fill(0),
      has: new Array<boolean>(nOut).fill(false),
      min: new Array<number>(nOut).fill(Infinity),
      max: new Array<number>(nOut).fill(-Infinity),
    };
    for (const tree of trees) {
      for (const v of leafOf(tree, row).votes) {
        acc.sum[v.id]! += v.weight;
        acc.has[v.id] = true;
        acc.min[v.id] = Math.min(acc.min[v.id]!, v.weight);
        acc.max[v.id] = Math.max(acc.max[v.id]!, v.weight);
      }
    }
    return acc;
  });
  const base = (k: number) => a.base_values[k] ?? 0;
  if (a.op === 'TreeEnsembleRegressor') {
    const scores = sums.map((acc) => {
      const raw = acc.sum.map((s, k) => {
        if (a.aggregate_function === 'AVERAGE') return s / trees.length + base(k);
        if (a.aggregate_function === 'MIN') return (acc.has[k] ? acc.min[k]! : 0) + base(k);
        if (a.aggregate_function === 'MAX') return (acc.has[k] ? acc.max[k]! : 0) + base(k);
        return s + base(k);
      });
      return transform(raw, a.post_transform);
    });
    return { scores };
  }
  const labels: (number | string)[] = a.classlabels_int64s ?? a.classlabels_strings ?? [];
  const classIds = new Set(a.class_ids);
  if (labels.length === 2 && classIds.size === 1) {
    if (a.base_values.length > 1)
      throw invalidArgument('binary single-class-id ensembles take at most one base value');
    if (a.post_transform === 'PROBIT') throw invalidArgument('PROBIT is not supported for binary ensembles');
    const allPositive = a.class_weights.every((w) => w >= 0);
    const out: TreeEnsembleOutput = { scores: [], labels: [] };
    for (const acc of sums) {
      const s = acc.sum.reduce((x, y) => x + y, 0) + base(0);
      // onnxruntime 1.30 (probed in tree-ensemble.test.ts): LOGISTIC always gives [σ(−s), σ(s)];
      // otherwise all-positive weights read s as a probability, [1 − s, s], and mixed weights as a
      // margin, [−s, s]. The label threshold is 0.5 for all-positive weights and 0 otherwise.
      if (a.post_transform === 'LOGISTIC') out.scores.push([sigmoid(-s), sigmoid(s)]);
      else out.scores.push(allPositive ? [1 - s, s] : [-s, s]);
      out.labels!.push(labels[s > (allPositive ? 0.5 : 0) ? 1 : 0]!);
    }
    return out;
  }
  const out: TreeEnsembleOutput = { scores: [], labels: [] };
  for (const acc of sums) {
    const raw = acc.sum.map((s, k) => s + base(k));
    let best = -1;
    raw.forEach((s, k) => {
      if ((acc.has[k] || a.base_values.length > 0) && (best < 0 || s > raw[best]!)) best = k;
    });
    out.scores.push(transform(raw, a.post_transform));
    out.labels!.push(labels[Math.max(best, 0)]!);
  }
  return out;
}
