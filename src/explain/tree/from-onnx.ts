import { invalidArgument } from '../../errors/index.js';
import { coversAreConsistent } from './covers.js';
import {
  NODE_MODES,
  type NodeMode,
  type Tree,
  type TreeEnsemble,
  validateEnsemble,
} from './tree-ensemble.js';

type Int = number | bigint;
type Str = string | Uint8Array;

/**
 * Attributes of `ai.onnx.ml.TreeEnsembleRegressor` / `TreeEnsembleClassifier` (opset 1 and 3),
 * named exactly as in the ONNX-ML operator spec. int64 fields may be numbers or bigints and string
 * fields strings or UTF-8 bytes, so they can be passed straight from a protobuf reader.
 */
export interface OnnxTreeAttributes {
  nodes_treeids: Int[];
  nodes_nodeids: Int[];
  nodes_featureids: Int[];
  nodes_modes: Str[];
  nodes_values?: number[];
  nodes_values_as_tensor?: number[];
  nodes_truenodeids: Int[];
  nodes_falsenodeids: Int[];
  nodes_missing_value_tracks_true?: Int[];
  nodes_hitrates?: number[];
  nodes_hitrates_as_tensor?: number[];
  n_targets?: Int;
  target_treeids?: Int[];
  target_nodeids?: Int[];
  target_ids?: Int[];
  target_weights?: number[];
  target_weights_as_tensor?: number[];
  class_treeids?: Int[];
  class_nodeids?: Int[];
  class_ids?: Int[];
  class_weights?: number[];
  class_weights_as_tensor?: number[];
  classlabels_int64s?: Int[];
  classlabels_strings?: Str[];
  base_values?: number[];
  base_values_as_tensor?: number[];
  post_transform?: Str;
  aggregate_function?: Str;
}

const decoder = new TextDecoder();
const str = (s: Str): string => (typeof s === 'string' ? s : decoder.decode(s));
const ints = (a: Int[] | undefined): number[] => (a ?? []).map((v) => Number(v));

/**
 * Converts ONNX tree-ensemble attributes into a `TreeEnsemble`. Covers come from `nodes_hitrates`
 * when those are consistent hit counts; otherwise they are left at 0 and must be filled with
 * `withCoversFromData` before path-dependent TreeSHAP. Base values follow onnxruntime: used when
 * there is one per output (or one for a single output); a binary classifier with one weight column
 * becomes a single positive-class margin (`binaryMargin`), taking base_values[1] if two are given.
 */
export function fromOnnxTreeAttributes(
  attrs: OnnxTreeAttributes,
  options: { nFeatures?: number } = {},
): TreeEnsemble {
  const treeIds = ints(attrs.nodes_treeids);
  const nodeIds = ints(attrs.nodes_nodeids);
  const featureIds = ints(attrs.nodes_featureids);
  const modes = (attrs.nodes_modes ?? []).map(str);
  const thresholds = attrs.nodes_values_as_tensor ?? attrs.nodes_values ?? [];
  const trueIds = ints(attrs.nodes_truenodeids);
  const falseIds = ints(attrs.nodes_falsenodeids);
  const missing = ints(attrs.nodes_missing_value_tracks_true);
  const hitrates = attrs.nodes_hitrates_as_tensor ?? attrs.nodes_hitrates ?? [];
  const n = treeIds.length;
  const required = {
    nodes_nodeids: nodeIds,
    nodes_featureids: featureIds,
    nodes_modes: modes,
    nodes_values: thresholds,
  };
  for (const [name, arr] of Object.entries({
    ...required,
    nodes_truenodeids: trueIds,
    nodes_falsenodeids: falseIds,
  })) {
    if (arr.length !== n) throw invalidArgument(`${name} has ${arr.length} entries, nodes_treeids has ${n}`);
  }
  if (n === 0) throw invalidArgument('tree ensemble has no nodes');
  for (const m of modes)
    if (!NODE_MODES.includes(m as NodeMode)) throw invalidArgument(`unknown node mode '${m}'`);

  const votes = readVotes(attrs);
  const { nOutputs, binaryMargin, classLabels } = votes;

  // Group node tuples by tree, then renumber each tree breadth-first from its root.
  const byTree = new Map<number, number[]>();
  treeIds.forEach((t, i) => {
    const list = byTree.get(t) ?? [];
    list.push(i);
    byTree.set(t, list);
  });
  const votesByTree = new Map<number, Vote[]>();
  for (const v of votes.entries) {
    if (!byTree.has(v.tree)) throw invalidArgument(`a weight refers to missing tree ${v.tree}`);
    const list = votesByTree.get(v.tree);
    if (list) list.push(v);
    else votesByTree.set(v.tree, [v]);
  }
  const trees: Tree[] = [];
  for (const treeId of [...byTree.keys()].sort((a, b) => a - b)) {
    const members = byTree.get(treeId)!;
    const byNodeId = new Map<number, number>();
    for (const i of members) {
      if (byNodeId.has(nodeIds[i]!)) throw invalidArgument(`tree ${treeId} repeats node id ${nodeIds[i]}`);
      byNodeId.set(nodeIds[i]!, i);
    }
    const children = new Set<number>();
    for (const i of members) {
      if (modes[i] !== 'LEAF') children.add(trueIds[i]!).add(falseIds[i]!);
    }
    const roots = members.filter((i) => !children.has(nodeIds[i]!));
    if (roots.length !== 1) throw invalidArgument(`tree ${treeId} has ${roots.length} roots, expected 1`);
    const order: number[] = [roots[0]!];
    const local = new Map<number, number>([[nodeIds[roots[0]!]!, 0]]);
    for (let q = 0; q < order.length; q++) {
      const i = order[q]!;
      if (modes[i] === 'LEAF') continue;
      for (const childId of [trueIds[i]!, falseIds[i]!]) {
        const c = byNodeId.get(childId);
        if (c === undefined)
          throw invalidArgument(`tree ${treeId} node ${nodeIds[i]} points to missing node ${childId}`);
        if (local.has(childId)) throw invalidArgument(`tree ${treeId} node ${childId} has two parents`);
        local.set(childId, order.length);
        order.push(c);
      }
    }
    if (order.length !== members.length)
      throw invalidArgument(`tree ${treeId} has nodes unreachable from its root`);
    const size = order.length;
    const tree: Tree = {
      feature: new Int32Array(size),
      threshold: new Float64Array(size),
      mode: new Array<NodeMode>(size),
      left: new Int32Array(size),
      right: new Int32Array(size),
      missingGoesLeft: new Uint8Array(size),
      values: new Float64Array(size * nOutputs),
      cover: new Float64Array(size),
    };
    order.forEach((i, j) => {
      const leaf = modes[i] === 'LEAF';
      tree.mode[j] = modes[i] as NodeMode;
      tree.feature[j] = leaf ? -1 : featureIds[i]!;
      tree.threshold[j] = leaf ? 0 : thresholds[i]!;
      tree.left[j] = leaf ? -1 : local.get(trueIds[i]!)!;
      tree.right[j] = leaf ? -1 : local.get(falseIds[i]!)!;
      tree.missingGoesLeft[j] = missing[i] ? 1 : 0;
      tree.cover[j] = hitrates[i] ?? 0;
    });
    if (!coversAreConsistent(tree)) tree.cover.fill(0);
    trees.push(tree);
    for (const v of votesByTree.get(treeId) ?? []) {
      const j = local.get(v.node);
      if (j === undefined) throw invalidArgument(`weight refers to missing node ${v.node} of tree ${treeId}`);
      if (tree.mode[j] !== 'LEAF')
        throw invalidArgument(`weight refers to internal node ${v.node} of tree ${treeId}`);
      tree.values[j * nOutputs + v.output]! += v.weight;
    }
  }

  const maxFeature = Math.max(...featureIds.filter((_, i) => modes[i] !== 'LEAF'), 0);
  const nFeatures = options.nFeatures ?? maxFeature + 1;
  const ensemble: TreeEnsemble = {
    nFeatures,
    nOutputs,
    trees,
    baseValues: baseValues(attrs, nOutputs, binaryMargin),
    aggregate: parseEnum(
      attrs.aggregate_function,
      'SUM',
      ['SUM', 'AVERAGE', 'MIN', 'MAX'],
      'aggregate_function',
    ),
    postTransform: parseEnum(
      attrs.post_transform,
      'NONE',
      ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT'],
      'post_transform',
    ),
  };
  if (classLabels) ensemble.classLabels = classLabels;
  if (binaryMargin) ensemble.binaryMargin = true;
  validateEnsemble(ensemble);
  return ensemble;
}

interface Vote {
  tree: number;
  node: number;
  output: number;
  weight: number;
}

function readVotes(attrs: OnnxTreeAttributes): {
  entries: Vote[];
  nOutputs: number;
  binaryMargin: boolean;
  classLabels?: (string | number)[];
} {
  const isClassifier = attrs.class_treeids !== undefined;
  const treeIds = ints(isClassifier ? attrs.class_treeids : attrs.target_treeids);
  const nodeIds = ints(isClassifier ? attrs.class_nodeids : attrs.target_nodeids);
  const ids = ints(isClassifier ? attrs.class_ids : attrs.target_ids);
  const weights = isClassifier
    ? (attrs.class_weights_as_tensor ?? attrs.class_weights ?? [])
    : (attrs.target_weights_as_tensor ?? attrs.target_weights ?? []);
  const prefix = isClassifier ? 'class' : 'target';
  if (
    nodeIds.length !== treeIds.length ||
    ids.length !== treeIds.length ||
    weights.length !== treeIds.length
  ) {
    throw invalidArgument(`${prefix}_treeids/_nodeids/_ids/_weights must have equal lengths`);
  }
  let nOutputs: number;
  let binaryMargin = false;
  let classLabels: (string | number)[] | undefined;
  if (isClassifier) {
    classLabels = attrs.classlabels_strings
      ? attrs.classlabels_strings.map(str)
      : ints(attrs.classlabels_int64s ?? []);
    if (classLabels.length === 0)
      throw invalidArgument('classifier needs classlabels_int64s or classlabels_strings');
    binaryMargin = classLabels.length === 2 && new Set(ids).size <= 1;
    nOutputs = binaryMargin ? 1 : classLabels.length;
  } else {
    nOutputs = attrs.n_targets !== undefined ? Number(attrs.n_targets) : Math.max(0, ...ids) + 1;
  }
  const entries = treeIds.map((tree, i) => ({
    tree,
    node: nodeIds[i]!,
    output: binaryMargin ? 0 : ids[i]!,
    weight: weights[i]!,
  }));
  for (const e of entries) {
    if (e.output < 0 || e.output >= nOutputs)
      throw invalidArgument(`${prefix}_ids entry ${e.output} out of range`);
  }
  return classLabels ? { entries, nOutputs, binaryMargin, classLabels } : { entries, nOutputs, binaryMargin };
}

function baseValues(attrs: OnnxTreeAttributes, k: number, binaryMargin: boolean): number[] {
  const base = attrs.base_values_as_tensor ?? attrs.base_values ?? [];
  if (binaryMargin) return [base.length === 2 ? base[1]! : (base[0] ?? 0)];
  if (base.length === k) return [...base];
  // onnxruntime ignores base values whose count does not match the outputs (beyond the 1-output case).
  return new Array<number>(k).fill(0);
}

function parseEnum<T extends string>(
  value: Str | undefined,
  fallback: T,
  allowed: readonly T[],
  name: string,
): T {
  if (value === undefined) return fallback;
  const s = str(value);
  if (!allowed.includes(s as T)) throw invalidArgument(`${name} '${s}' is not one of ${allowed.join(', ')}`);
  return s as T;
}
