import { invalidArgument } from '../../errors/index.js';
import {
  attr,
  inputNameOf,
  ML_DOMAIN,
  makeModel,
  makeNode,
  type OnnxExportOptions,
  requireFinite,
  tensorValue,
} from './builders.js';
import { encodeOnnxModel } from './encode-model.js';
import {
  AGGREGATE_FUNCTIONS,
  POST_TRANSFORMS,
  TREE_NODE_MODES,
  type TreeEnsembleAttributes,
} from './tree-ensemble-attributes.js';
import type { OnnxAttribute, OnnxValueInfo } from './types.js';

/** Export options for tree ensembles: the declared input width (default: largest feature id + 1). */
export interface TreeEnsembleExportOptions extends OnnxExportOptions {
  nFeatures?: number;
}

function sameLength(a: TreeEnsembleAttributes, names: readonly string[]): void {
  const record = a as unknown as Record<string, unknown[] | undefined>;
  const first = record[names[0]!];
  for (const name of names) {
    const v = record[name];
    if (!Array.isArray(v)) throw invalidArgument(`tree ensemble attribute ${name} must be an array`);
    if (v.length !== first!.length) {
      throw invalidArgument(
        `tree ensemble attribute ${name} has ${v.length} entries, ${names[0]} has ${first!.length}`,
      );
    }
  }
}

const NODE_ARRAYS = [
  'nodes_treeids',
  'nodes_nodeids',
  'nodes_featureids',
  'nodes_modes',
  'nodes_values',
  'nodes_truenodeids',
  'nodes_falsenodeids',
  'nodes_missing_value_tracks_true',
] as const;

/** Validates array lengths, enum values and numbers of a tree-ensemble attribute set. */
export function validateTreeEnsemble(a: TreeEnsembleAttributes): void {
  sameLength(a, NODE_ARRAYS);
  if (a.nodes_treeids.length === 0) throw invalidArgument('a tree ensemble needs at least one node');
  if (a.nodes_hitrates !== undefined && a.nodes_hitrates.length !== a.nodes_treeids.length) {
    throw invalidArgument('nodes_hitrates must have one entry per node');
  }
  for (const mode of a.nodes_modes) {
    if (!TREE_NODE_MODES.includes(mode)) throw invalidArgument(`unknown node mode '${mode}'`);
  }
  if (!POST_TRANSFORMS.includes(a.post_transform))
    throw invalidArgument(`unknown post_transform '${a.post_transform}'`);
  requireFinite('nodes_values', a.nodes_values);
  requireFinite('base_values', a.base_values);
  if (a.op === 'TreeEnsembleRegressor') {
    sameLength(a, ['target_ids', 'target_nodeids', 'target_treeids', 'target_weights']);
    requireFinite('target_weights', a.target_weights);
    if (!AGGREGATE_FUNCTIONS.includes(a.aggregate_function)) {
      throw invalidArgument(`unknown aggregate_function '${a.aggregate_function}'`);
    }
    if (!Number.isInteger(a.n_targets) || a.n_targets < 1)
      throw invalidArgument('n_targets must be an integer >= 1');
    if (a.target_ids.some((t) => t < 0 || t >= a.n_targets))
      throw invalidArgument('target_ids must lie in [0, n_targets)');
  } else if (a.op === 'TreeEnsembleClassifier') {
    sameLength(a, ['class_ids', 'class_nodeids', 'class_treeids', 'class_weights']);
    requireFinite('class_weights', a.class_weights);
    const nLabels = (a.classlabels_int64s?.length ?? 0) + (a.classlabels_strings?.length ?? 0);
    if ((a.classlabels_int64s === undefined) === (a.classlabels_strings === undefined) || nLabels === 0) {
      throw invalidArgument(
        'exactly one of classlabels_int64s or classlabels_strings must be a non-empty list',
      );
    }
    if (a.class_ids.some((c) => c < 0 || c >= nLabels))
      throw invalidArgument('class_ids must index the class labels');
  } else {
    throw invalidArgument(`unknown tree ensemble op '${(a as { op: string }).op}'`);
  }
}

function nodeAttributes(a: TreeEnsembleAttributes): OnnxAttribute[] {
  const out: OnnxAttribute[] = [
    attr.ints('nodes_treeids', a.nodes_treeids),
    attr.ints('nodes_nodeids', a.nodes_nodeids),
    attr.ints('nodes_featureids', a.nodes_featureids),
    attr.strings('nodes_modes', a.nodes_modes),
    attr.floats('nodes_values', a.nodes_values),
    attr.ints('nodes_truenodeids', a.nodes_truenodeids),
    attr.ints('nodes_falsenodeids', a.nodes_falsenodeids),
    attr.ints('nodes_missing_value_tracks_true', a.nodes_missing_value_tracks_true),
    attr.string('post_transform', a.post_transform),
  ];
  if (a.nodes_hitrates !== undefined) out.push(attr.floats('nodes_hitrates', a.nodes_hitrates));
  if (a.base_values.length > 0) out.push(attr.floats('base_values', a.base_values));
  if (a.op === 'TreeEnsembleRegressor') {
    out.push(
      attr.int('n_targets', a.n_targets),
      attr.string('aggregate_function', a.aggregate_function),
      attr.ints('target_ids', a.target_ids),
      attr.ints('target_nodeids', a.target_nodeids),
      attr.ints('target_treeids', a.target_treeids),
      attr.floats('target_weights', a.target_weights),
    );
  } else {
    out.push(
      attr.ints('class_ids', a.class_ids),
      attr.ints('class_nodeids', a.class_nodeids),
      attr.ints('class_treeids', a.class_treeids),
      attr.floats('class_weights', a.class_weights),
    );
    if (a.classlabels_int64s !== undefined) out.push(attr.ints('classlabels_int64s', a.classlabels_int64s));
    if (a.classlabels_strings !== undefined)
      out.push(attr.strings('classlabels_strings', a.classlabels_strings));
  }
  return out;
}

/**
 * Emits one ai.onnx.ml TreeEnsembleRegressor (→ `variable` float32 [N, n_targets]) or
 * TreeEnsembleClassifier (→ `label` int64|string [N], `probabilities` float32 [N, C]) node
 * reading float32 [N, F] `input`; imports ai.onnx.ml opset 3.
 */
export function treeEnsembleToOnnx(
  attributes: TreeEnsembleAttributes,
  options: TreeEnsembleExportOptions = {},
): Uint8Array {
  validateTreeEnsemble(attributes);
  const input = inputNameOf(options);
  const maxFeature = attributes.nodes_featureids.reduce(
    (m, f, i) => (attributes.nodes_modes[i] === 'LEAF' ? m : Math.max(m, f)),
    0,
  );
  const nFeatures = options.nFeatures ?? maxFeature + 1;
  if (!Number.isInteger(nFeatures) || nFeatures <= maxFeature) {
    throw invalidArgument(`nFeatures must be an integer > ${maxFeature} (the largest feature id used)`);
  }
  let outputs: OnnxValueInfo[];
  let outputNames: string[];
  if (attributes.op === 'TreeEnsembleRegressor') {
    outputNames = ['variable'];
    outputs = [tensorValue('variable', 'float', ['N', attributes.n_targets])];
  } else {
    const labels = attributes.classlabels_int64s ?? attributes.classlabels_strings ?? [];
    outputNames = ['label', 'probabilities'];
    outputs = [
      tensorValue('label', attributes.classlabels_strings ? 'string' : 'int64', ['N']),
      tensorValue('probabilities', 'float', ['N', labels.length]),
    ];
  }
  const node = makeNode(attributes.op, [input], outputNames, nodeAttributes(attributes), ML_DOMAIN);
  const model = makeModel(
    {
      name:
        options.graphName ??
        (attributes.op === 'TreeEnsembleRegressor' ? 'tree_ensemble_regressor' : 'tree_ensemble_classifier'),
      nodes: [node],
      initializers: [],
      inputs: [tensorValue(input, 'float', ['N', nFeatures])],
      outputs,
    },
    options,
    true,
  );
  return encodeOnnxModel(model);
}
