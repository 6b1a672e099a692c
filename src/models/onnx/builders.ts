import { invalidArgument } from '../../errors/index.js';
import type {
  OnnxAttribute,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxTensor,
  OnnxValueInfo,
  TensorElementType,
} from './types.js';

/**
 * IR version 8 with ai.onnx opset 17 and ai.onnx.ml opset 3: a pairing released together in
 * onnx 1.12 (docs/Versioning.md), loaded by onnxruntime >= 1.12 and so by onnxruntime-node 1.30.
 */
export const DEFAULT_IR_VERSION = 8;
export const DEFAULT_OPSET = 17;
export const ML_DOMAIN = 'ai.onnx.ml';
export const ML_OPSET = 3;

/** Options every model emitter accepts. */
export interface OnnxExportOptions {
  /** Name of the float32 [N, F] input tensor (default 'input'). */
  inputName?: string;
  /** Graph name (default: the emitter's model kind, e.g. 'linear_regression'). */
  graphName?: string;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** Stored as ModelProto.metadata_props. */
  metadata?: Record<string, string>;
}

/** Checks that every element of `values` is a finite number. */
export function requireFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw invalidArgument(`${name}[${i}] must be a finite number, got ${values[i]}`);
  }
}

/** A float32 tensor (initializer) from any numeric array-like, row-major. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return { name, dims, dataType: 'float', values: Float32Array.from(values) };
}

/** An int64 tensor (initializer) from JS numbers. */
export function int64Tensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return { name, dims, dataType: 'int64', values: BigInt64Array.from(Array.from(values, (v) => BigInt(v))) };
}

/** Attribute constructors named after AttributeProto.AttributeType. */
export const attr = {
  float: (name: string, value: number): OnnxAttribute => ({ name, type: 'float', value }),
  int: (name: string, value: number): OnnxAttribute => ({ name, type: 'int', value }),
  string: (name: string, value: string): OnnxAttribute => ({ name, type: 'string', value }),
  floats: (name: string, value: ArrayLike<number>): OnnxAttribute => ({
    name,
    type: 'floats',
    value: Array.from(value),
  }),
  ints: (name: string, value: ArrayLike<number>): OnnxAttribute => ({
    name,
    type: 'ints',
    value: Array.from(value),
  }),
  strings: (name: string, value: readonly string[]): OnnxAttribute => ({
    name,
    type: 'strings',
    value: [...value],
  }),
};

/** A NodeProto; `domain` '' is ai.onnx. */
export function makeNode(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: OnnxAttribute[] = [],
  domain = '',
): OnnxNode {
  return { opType, domain, name: `${opType}_${outputs[0] ?? ''}`, inputs, outputs, attributes };
}

/** A tensor ValueInfoProto with a symbolic batch dimension 'N' first. */
export function tensorValue(
  name: string,
  elemType: TensorElementType,
  dims: (number | string)[],
): OnnxValueInfo {
  return { name, type: { kind: 'tensor', elemType, shape: dims } };
}

/** Assembles a ModelProto around a graph with Osprey's default IR version and opsets. */
export function makeModel(
  graph: Omit<OnnxGraph, 'valueInfo'> & { valueInfo?: OnnxValueInfo[] },
  options: OnnxExportOptions,
  useMlDomain: boolean,
): OnnxModel {
  const model: OnnxModel = {
    irVersion: DEFAULT_IR_VERSION,
    opsetImports: [{ domain: '', version: DEFAULT_OPSET }],
    producerName: options.producerName ?? 'osprey',
    metadata: { ...(options.metadata ?? {}) },
    graph: { valueInfo: [], ...graph },
  };
  if (useMlDomain) model.opsetImports.push({ domain: ML_DOMAIN, version: ML_OPSET });
  if (options.producerVersion !== undefined) model.producerVersion = options.producerVersion;
  if (options.docString !== undefined) model.docString = options.docString;
  return model;
}

/** Resolves and validates the input tensor name from export options. */
export function inputNameOf(options: OnnxExportOptions): string {
  const name = options.inputName ?? 'input';
  if (name.length === 0) throw invalidArgument('inputName must not be empty');
  return name;
}
