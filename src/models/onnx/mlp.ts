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

/** Hidden-layer activations the MLP emitter supports (ONNX ops Relu, Tanh, Sigmoid). */
export type MlpActivation = 'relu' | 'tanh' | 'sigmoid';

/** One dense layer: out = in · weights + bias. */
export interface DenseLayerParams {
  /** [nIn][nOut] (the orientation Gemm uses with transB = 0). */
  weights: readonly (readonly number[])[];
  /** [nOut]. */
  bias: readonly number[];
}

/** A feed-forward network: hidden layers share one activation; the last layer feeds the head. */
export interface MlpParams {
  layers: readonly DenseLayerParams[];
  activation: MlpActivation;
  /** 'softmax': classifier (label + probabilities); 'identity': regressor (variable). */
  head: 'softmax' | 'identity';
  /** Class labels in output order (softmax head only; default 0..C-1). */
  classLabels?: readonly number[];
}

const ACTIVATION_OPS: Record<MlpActivation, string> = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid' };

function layerTensors(layer: DenseLayerParams, index: number, nIn: number): OnnxTensor[] {
  const nOut = layer.bias.length;
  if (layer.weights.length !== nIn) {
    throw invalidArgument(`layer ${index} weights have ${layer.weights.length} rows, expected ${nIn} inputs`);
  }
  const w = new Float32Array(nIn * nOut);
  layer.weights.forEach((row, i) => {
    if (row.length !== nOut)
      throw invalidArgument(`layer ${index} weights row ${i} has ${row.length} values, expected ${nOut}`);
    requireFinite(`layers[${index}].weights[${i}]`, row);
    w.set(row, i * nOut);
  });
  requireFinite(`layers[${index}].bias`, layer.bias);
  return [floatTensor(`W${index}`, [nIn, nOut], w), floatTensor(`B${index}`, [nOut], layer.bias)];
}

/**
 * Emits an MLP as Gemm (+ Relu/Tanh/Sigmoid) layers. Softmax head: `label` int64 [N] (ArgMax, first
 * maximum) and `probabilities` float32 [N, C]; identity head: `variable` float32 [N, K].
 */
export function mlpToOnnx(params: MlpParams, options: OnnxExportOptions = {}): Uint8Array {
  const input = inputNameOf(options);
  if (params.layers.length === 0) throw invalidArgument('an MLP needs at least one layer');
  if (!(params.activation in ACTIVATION_OPS))
    throw invalidArgument(`unknown activation '${params.activation}'`);
  const nFeatures = params.layers[0]!.weights.length;
  const nodes: OnnxNode[] = [];
  const inits: OnnxTensor[] = [];
  let current = input;
  let width = nFeatures;
  params.layers.forEach((layer, i) => {
    inits.push(...layerTensors(layer, i, width));
    width = layer.bias.length;
    const last = i === params.layers.length - 1;
    const z = last ? 'scores' : `z${i}`;
    nodes.push(makeNode('Gemm', [current, `W${i}`, `B${i}`], [z]));
    if (!last) {
      nodes.push(makeNode(ACTIVATION_OPS[params.activation], [z], [`h${i}`]));
      current = `h${i}`;
    }
  });
  const outputs = [];
  if (params.head === 'softmax') {
    if (width < 2) throw invalidArgument('a softmax head needs at least 2 outputs');
    const labels = params.classLabels ?? Array.from({ length: width }, (_, i) => i);
    if (labels.length !== width || labels.some((l) => !Number.isInteger(l))) {
      throw invalidArgument(`classLabels must hold ${width} integers`);
    }
    const identity = labels.every((l, i) => l === i);
    nodes.push(makeNode('Softmax', ['scores'], ['probabilities'], [attr.int('axis', 1)]));
    nodes.push(
      makeNode(
        'ArgMax',
        ['probabilities'],
        [identity ? 'label' : 'label_index'],
        [attr.int('axis', 1), attr.int('keepdims', 0)],
      ),
    );
    if (!identity) {
      inits.push(int64Tensor('class_labels', [width], labels));
      nodes.push(makeNode('Gather', ['class_labels', 'label_index'], ['label'], [attr.int('axis', 0)]));
    }
    outputs.push(tensorValue('label', 'int64', ['N']), tensorValue('probabilities', 'float', ['N', width]));
  } else if (params.head === 'identity') {
    nodes.push(makeNode('Identity', ['scores'], ['variable']));
    outputs.push(tensorValue('variable', 'float', ['N', width]));
  } else {
    throw invalidArgument(`unknown head '${params.head}'`);
  }
  const model = makeModel(
    {
      name: options.graphName ?? 'mlp',
      nodes,
      initializers: inits,
      inputs: [tensorValue(input, 'float', ['N', nFeatures])],
      outputs,
    },
    options,
    false,
  );
  return encodeOnnxModel(model);
}
