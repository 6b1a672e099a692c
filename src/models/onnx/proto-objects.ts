/**
 * Shapes of the plain objects protobufjs produces and accepts for the ONNX messages
 * (field names exactly as in onnx.proto; int64 as number; bytes as Uint8Array).
 * Every field is optional because proto2 optional fields may be absent on the wire.
 */

export interface StringStringEntryObject {
  key?: string;
  value?: string;
}

export interface TensorProtoObject {
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  string_data?: Uint8Array[];
  int64_data?: number[];
  name?: string;
  doc_string?: string;
  raw_data?: Uint8Array;
  double_data?: number[];
  uint64_data?: number[];
}

export interface DimensionObject {
  dim_value?: number;
  dim_param?: string;
}

export interface TypeProtoObject {
  tensor_type?: { elem_type?: number; shape?: { dim?: DimensionObject[] } };
  sequence_type?: { elem_type?: TypeProtoObject };
  map_type?: { key_type?: number; value_type?: TypeProtoObject };
  denotation?: string;
}

export interface ValueInfoProtoObject {
  name?: string;
  type?: TypeProtoObject;
  doc_string?: string;
}

export interface AttributeProtoObject {
  name?: string;
  type?: number;
  doc_string?: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProtoObject;
  g?: GraphProtoObject;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: TensorProtoObject[];
  graphs?: GraphProtoObject[];
}

export interface NodeProtoObject {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeProtoObject[];
  doc_string?: string;
}

export interface GraphProtoObject {
  node?: NodeProtoObject[];
  name?: string;
  initializer?: TensorProtoObject[];
  doc_string?: string;
  input?: ValueInfoProtoObject[];
  output?: ValueInfoProtoObject[];
  value_info?: ValueInfoProtoObject[];
}

export interface ModelProtoObject {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: GraphProtoObject;
  metadata_props?: StringStringEntryObject[];
}

/** AttributeProto.AttributeType codes (onnx.proto). */
export const ATTRIBUTE_TYPE_CODES = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  graph: 5,
  floats: 6,
  ints: 7,
  strings: 8,
  tensors: 9,
  graphs: 10,
} as const;
