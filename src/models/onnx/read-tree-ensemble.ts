import { invalidArgument, notFound } from '../../errors/index.js';
import {
  AGGREGATE_FUNCTIONS,
  type AggregateFunction,
  POST_TRANSFORMS,
  type PostTransform,
  TREE_NODE_MODES,
  type TreeEnsembleAttributes,
  type TreeEnsembleNodeAttributes,
  type TreeNodeMode,
} from './tree-ensemble-attributes.js';
import type { OnnxAttribute, OnnxModel, OnnxNode } from './types.js';

const TREE_OPS = ['TreeEnsembleRegressor', 'TreeEnsembleClassifier'] as const;

class AttributeBag {
  private readonly byName: Map<string, OnnxAttribute>;

  constructor(node: OnnxNode) {
    this.byName = new Map(node.attributes.map((a) => [a.name, a]));
  }

  // Opset 3 adds `<name>_as_tensor` (double tensors) as an alternative to float lists.
  numbers(name: string): number[] | undefined {
    const a = this.byName.get(name);
    if (a?.type === 'floats' || a?.type === 'ints') return a.value;
    const t = this.byName.get(`${name}_as_tensor`);
    if (t?.type === 'tensor' && t.value.dataType !== 'string' && t.value.dataType !== 'int64') {
      return Array.from(t.value.values);
    }
    if (a !== undefined)
      throw invalidArgument(`attribute ${name} must be a list of numbers, found ${a.type}`);
    return undefined;
  }

  required(name: string): number[] {
    const v = this.numbers(name);
    if (v === undefined) throw invalidArgument(`tree ensemble node lacks required attribute ${name}`);
    return v;
  }

  strings(name: string): string[] | undefined {
    const a = this.byName.get(name);
    if (a === undefined) return undefined;
    if (a.type !== 'strings')
      throw invalidArgument(`attribute ${name} must be a list of strings, found ${a.type}`);
    return a.value;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    if (a === undefined) return fallback;
    if (a.type !== 'string') throw invalidArgument(`attribute ${name} must be a string, found ${a.type}`);
    return a.value;
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    if (a === undefined) return fallback;
    if (a.type !== 'int') throw invalidArgument(`attribute ${name} must be an int, found ${a.type}`);
    return a.value;
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalidArgument(`unknown ${name} '${value}'`);
  return value as T;
}

function nodeAttributes(bag: AttributeBag): TreeEnsembleNodeAttributes {
  const treeIds = bag.required('nodes_treeids');
  const modes = (bag.strings('nodes_modes') ?? []).map((m) =>
    oneOf<TreeNodeMode>(m, TREE_NODE_MODES, 'node mode'),
  );
  const attrs: TreeEnsembleNodeAttributes = {
    nodes_treeids: treeIds,
    nodes_nodeids: bag.required('nodes_nodeids'),
    nodes_featureids: bag.required('nodes_featureids'),
    nodes_modes: modes,
    nodes_values: bag.required('nodes_values'),
    nodes_truenodeids: bag.required('nodes_truenodeids'),
    nodes_falsenodeids: bag.required('nodes_falsenodeids'),
    nodes_missing_value_tracks_true: bag.numbers('nodes_missing_value_tracks_true') ?? treeIds.map(() => 0),
    base_values: bag.numbers('base_values') ?? [],
    post_transform: oneOf<PostTransform>(
      bag.string('post_transform', 'NONE'),
      POST_TRANSFORMS,
      'post_transform',
    ),
  };
  const hitrates = bag.numbers('nodes_hitrates');
  if (hitrates !== undefined) attrs.nodes_hitrates = hitrates;
  return attrs;
}

/**
 * Extracts the first ai.onnx.ml TreeEnsembleRegressor/Classifier of a model as a plain object
 * with the operator-spec attribute names. Spec defaults are filled in (post_transform 'NONE',
 * aggregate_function 'SUM', n_targets 1, base_values [], missing-value tracks all 0) and the
 * opset-3 `*_as_tensor` double variants are read into the plain names.
 */
export function readTreeEnsemble(model: OnnxModel): TreeEnsembleAttributes {
  const node = model.graph.nodes.find(
    (n) =>
      (n.domain === 'ai.onnx.ml' || n.domain === '') && (TREE_OPS as readonly string[]).includes(n.opType),
  );
  if (node === undefined)
    throw notFound('the model has no TreeEnsembleRegressor or TreeEnsembleClassifier node');
  const bag = new AttributeBag(node);
  const nodes = nodeAttributes(bag);
  if (node.opType === 'TreeEnsembleRegressor') {
    return {
      op: 'TreeEnsembleRegressor',
      ...nodes,
      n_targets: bag.int('n_targets', 1),
      aggregate_function: oneOf<AggregateFunction>(
        bag.string('aggregate_function', 'SUM'),
        AGGREGATE_FUNCTIONS,
        'aggregate_function',
      ),
      target_ids: bag.required('target_ids'),
      target_nodeids: bag.required('target_nodeids'),
      target_treeids: bag.required('target_treeids'),
      target_weights: bag.required('target_weights'),
    };
  }
  const result: TreeEnsembleAttributes = {
    op: 'TreeEnsembleClassifier',
    ...nodes,
    class_ids: bag.required('class_ids'),
    class_nodeids: bag.required('class_nodeids'),
    class_treeids: bag.required('class_treeids'),
    class_weights: bag.required('class_weights'),
  };
  const ints = bag.numbers('classlabels_int64s');
  const strings = bag.strings('classlabels_strings');
  if (ints !== undefined) result.classlabels_int64s = ints;
  if (strings !== undefined) result.classlabels_strings = strings;
  return result;
}
