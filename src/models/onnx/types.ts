/**
 * Plain TypeScript mirrors of the ONNX protobuf messages Osprey reads and writes
 * (onnx/onnx.proto: ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto,
 * AttributeProto, OperatorSetIdProto, StringStringEntryProto). int64 fields are JS numbers:
 * every integer Osprey stores (dims, node ids, opset versions) is far below 2^53.
 */

/** Tensor element types Osprey can encode and decode, with their TensorProto.DataType codes. */
export const TENSOR_ELEMENT_TYPES = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  double: 11,
} as const;

export type TensorElementType = keyof typeof TENSOR_ELEMENT_TYPES;

/** A tensor value (an initializer or a tensor attribute); data are row-major. */
export type OnnxTensor =
  | { name: string; dims: number[]; dataType: 'float'; values: Float32Array }
  | { name: string; dims: number[]; dataType: 'double'; values: Float64Array }
  | { name: string; dims: number[]; dataType: 'int32'; values: Int32Array }
  | { name: string; dims: number[]; dataType: 'int64'; values: BigInt64Array }
  | { name: string; dims: number[]; dataType: 'uint8' | 'bool'; values: Uint8Array }
  | { name: string; dims: number[]; dataType: 'int8'; values: Int8Array }
  | { name: string; dims: number[]; dataType: 'string'; values: string[] };

/** One dimension of a declared shape: a fixed size, a symbolic name (e.g. 'N'), or unknown (null). */
export type OnnxDim = number | string | null;

/** TypeProto: a tensor type, or the sequence/map types classic ML converters use. */
export type OnnxType =
  | { kind: 'tensor'; elemType: TensorElementType; shape?: OnnxDim[] }
  | { kind: 'sequence'; elemType: OnnxType }
  | { kind: 'map'; keyType: TensorElementType; valueType: OnnxType };

/** ValueInfoProto: a named, typed graph input, output or intermediate value. */
export interface OnnxValueInfo {
  name: string;
  type: OnnxType;
  docString?: string;
}

/** AttributeProto, discriminated by its `type` (AttributeType in lower case). */
export type OnnxAttribute =
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'tensor'; value: OnnxTensor }
  | { name: string; type: 'graph'; value: OnnxGraph }
  | { name: string; type: 'floats'; value: number[] }
  | { name: string; type: 'ints'; value: number[] }
  | { name: string; type: 'strings'; value: string[] }
  | { name: string; type: 'tensors'; value: OnnxTensor[] }
  | { name: string; type: 'graphs'; value: OnnxGraph[] };

/** NodeProto: one operator call. `domain` '' is the default ai.onnx domain. */
export interface OnnxNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
  docString?: string;
}

/** GraphProto: nodes in topological order plus constant initializers and typed inputs/outputs. */
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
  docString?: string;
}

/** OperatorSetIdProto: `domain` '' means ai.onnx. */
export interface OnnxOpsetId {
  domain: string;
  version: number;
}

/** ModelProto: the top-level file. `metadata` holds metadata_props (key → value). */
export interface OnnxModel {
  irVersion: number;
  opsetImports: OnnxOpsetId[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  metadata: Record<string, string>;
  graph: OnnxGraph;
}
