import { invalidArgument } from '../../errors/index.js';
import {
  attr,
  floatTensor,
  inputNameOf,
  int64Tensor,
  makeModel,
  makeNode,
  type OnnxExportOptions,
  requireFinite,
  tensorValue,
} from './builders.js';
import { encodeOnnxModel } from './encode-model.js';
import type { OnnxNode, OnnxTensor } from './types.js';

/** Coefficients of y = X·Wᵀ + b with one row of W per output. */
export interface LinearModelParams {
  /** [nOutputs][nFeatures]. */
  coefficients: readonly (readonly number[])[];
  /** [nOutputs]. */
  intercepts: readonly number[];
}

/** A linear classifier's scores; one row means binary (sigmoid on the class-1 logit), more means softmax. */
export interface LogisticRegressionParams extends LinearModelParams {
  /** Class labels in score order (default 0..C-1); emitted through Gather when not 0..C-1. */
  classLabels?: readonly number[];
}

function checkLinear(params: LinearModelParams): { nOut: number; nFeatures: number } {
  const nOut = params.coefficients.length;
  const nFeatures = params.coefficients[0]?.length ?? 0;
  if (nOut === 0 || nFeatures === 0)
    throw invalidArgument('coefficients must be a non-empty [nOutputs][nFeatures] array');
  params.coefficients.forEach((row, k) => {
    if (row.length !== nFeatures)
      throw invalidArgument(`coefficients row ${k} has ${row.length} values, expected ${nFeatures}`);
    requireFinite(`coefficients[${k}]`, row);
  });
  if (params.intercepts.length !== nOut) {
    throw invalidArgument(`intercepts has ${params.intercepts.length} values, expected ${nOut}`);
  }
  requireFinite('intercepts', params.intercepts);
  return { nOut, nFeatures };
}

// W is stored transposed ([F, K]) so that MatMul(input [N, F], W) gives [N, K].
function affine(
  params: LinearModelParams,
  input: string,
  output: string,
): { nodes: OnnxNode[]; inits: OnnxTensor[] } {
  const { nOut, nFeatures } = checkLinear(params);
  const w = new Float32Array(nFeatures * nOut);
  for (let k = 0; k < nOut; k++)
    for (let j = 0; j < nFeatures; j++) w[j * nOut + k] = params.coefficients[k]![j]!;
  return {
    nodes: [makeNode('MatMul', [input, 'coef'], ['xw']), makeNode('Add', ['xw', 'intercept'], [output])],
    inits: [floatTensor('coef', [nFeatures, nOut], w), floatTensor('intercept', [nOut], params.intercepts)],
  };
}

/**
 * Emits a linear regressor as MatMul + Add: input float32 [N, F] → `variable` float32 [N, K].
 * (MatMul/Add rather than ai.onnx.ml LinearRegressor so any ONNX runtime, not only ML-aware ones, runs it.)
 */
export function linearRegressionToOnnx(
  params: LinearModelParams,
  options: OnnxExportOptions = {},
): Uint8Array {
  const input = inputNameOf(options);
  const { nOut, nFeatures } = checkLinear(params);
  const { nodes, inits } = affine(params, input, 'variable');
  const model = makeModel(
    {
      name: options.graphName ?? 'linear_regression',
      nodes,
      initializers: inits,
      inputs: [tensorValue(input, 'float', ['N', nFeatures])],
      outputs: [tensorValue('variable', 'float', ['N', nOut])],
    },
    options,
    false,
  );
  return encodeOnnxModel(model);
}

/**
 * Emits logistic regression with standard ops only: input float32 [N, F] → `label` int64 [N] and
 * `probabilities` float32 [N, C]. Binary (one coefficient row): p1 = Sigmoid(x·w + b),
 * probabilities = Concat(1 − p1, p1). Multinomial: Softmax(x·Wᵀ + b, axis 1). label = ArgMax
 * (first maximum on ties, ArgMax-13 select_last_index = 0), mapped through Gather to classLabels.
 */
export function logisticRegressionToOnnx(
  params: LogisticRegressionParams,
  options: OnnxExportOptions = {},
): Uint8Array {
  const input = inputNameOf(options);
  const { nOut, nFeatures } = checkLinear(params);
  const nClasses = nOut === 1 ? 2 : nOut;
  const labels = params.classLabels ?? Array.from({ length: nClasses }, (_, i) => i);
  if (labels.length !== nClasses || labels.some((l) => !Number.isInteger(l))) {
    throw invalidArgument(`classLabels must hold ${nClasses} integers, got [${labels.join(', ')}]`);
  }
  const identityLabels = labels.every((l, i) => l === i);
  const { nodes, inits } = affine(params, input, 'logits');
  if (nOut === 1) {
    inits.push(floatTensor('one', [1], [1]));
    nodes.push(
      makeNode('Sigmoid', ['logits'], ['p1']),
      makeNode('Sub', ['one', 'p1'], ['p0']),
      makeNode('Concat', ['p0', 'p1'], ['probabilities'], [attr.int('axis', 1)]),
    );
  } else {
    nodes.push(makeNode('Softmax', ['logits'], ['probabilities'], [attr.int('axis', 1)]));
  }
  const argmaxOut = identityLabels ? 'label' : 'label_index';
  nodes.push(
    makeNode('ArgMax', ['probabilities'], [argmaxOut], [attr.int('axis', 1), attr.int('keepdims', 0)]),
  );
  if (!identityLabels) {
    inits.push(int64Tensor('class_labels', [nClasses], labels));
    nodes.push(makeNode('Gather', ['class_labels', 'label_index'], ['label'], [attr.int('axis', 0)]));
  }
  const model = makeModel(
    {
      name: options.graphName ?? 'logistic_regression',
      nodes,
      initializers: inits,
      inputs: [tensorValue(input, 'float', ['N', nFeatures])],
      outputs: [tensorValue('label', 'int64', ['N']), tensorValue('probabilities', 'float', ['N', nClasses])],
    },
    options,
    false,
  );
  return encodeOnnxModel(model);
}
