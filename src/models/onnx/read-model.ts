import { invalidArgument } from '../../errors/index.js';
import { modelProtoType } from './onnx-proto.js';
import {
  ATTRIBUTE_TYPE_CODES,
  type AttributeProtoObject,
  type GraphProtoObject,
  type ModelProtoObject,
  type NodeProtoObject,
  type TypeProtoObject,
  type ValueInfoProtoObject,
} from './proto-objects.js';
import { elementTypeFromCode, tensorFromProto } from './tensor-codec.js';
import type { OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxType, OnnxValueInfo } from './types.js';

const utf8 = new TextDecoder();

function typeFromProto(proto: TypeProtoObject | undefined, where: string): OnnxType {
  if (proto?.tensor_type) {
    const t = proto.tensor_type;
    const type: OnnxType = { kind: 'tensor', elemType: elementTypeFromCode(t.elem_type ?? 0, where) };
    if (t.shape) {
      type.shape = (t.shape.dim ?? []).map(
        (d) => d.dim_value ?? (d.dim_param !== undefined ? d.dim_param : null),
      );
    }
    return type;
  }
  if (proto?.sequence_type) {
    return { kind: 'sequence', elemType: typeFromProto(proto.sequence_type.elem_type, where) };
  }
  if (proto?.map_type) {
    return {
      kind: 'map',
      keyType: elementTypeFromCode(proto.map_type.key_type ?? 0, where),
      valueType: typeFromProto(proto.map_type.value_type, where),
    };
  }
  throw invalidArgument(`${where} has no tensor, sequence or map type`);
}

function valueInfoFromProto(proto: ValueInfoProtoObject): OnnxValueInfo {
  const name = proto.name ?? '';
  const info: OnnxValueInfo = { name, type: typeFromProto(proto.type, `value '${name}'`) };
  if (proto.doc_string) info.docString = proto.doc_string;
  return info;
}

// IR < 2 files carry no type discriminator; infer it from the one populated field as the spec allows.
function attributeTypeOf(proto: AttributeProtoObject): number {
  if (proto.type !== undefined && proto.type !== 0) return proto.type;
  if (proto.floats?.length) return ATTRIBUTE_TYPE_CODES.floats;
  if (proto.ints?.length) return ATTRIBUTE_TYPE_CODES.ints;
  if (proto.strings?.length) return ATTRIBUTE_TYPE_CODES.strings;
  if (proto.tensors?.length) return ATTRIBUTE_TYPE_CODES.tensors;
  if (proto.graphs?.length) return ATTRIBUTE_TYPE_CODES.graphs;
  if (proto.f !== undefined) return ATTRIBUTE_TYPE_CODES.float;
  if (proto.i !== undefined) return ATTRIBUTE_TYPE_CODES.int;
  if (proto.s !== undefined) return ATTRIBUTE_TYPE_CODES.string;
  if (proto.t !== undefined) return ATTRIBUTE_TYPE_CODES.tensor;
  if (proto.g !== undefined) return ATTRIBUTE_TYPE_CODES.graph;
  return 0;
}

// Returns null for attribute kinds Osprey does not model (sparse tensors, type protos).
function attributeFromProto(proto: AttributeProtoObject): OnnxAttribute | null {
  const name = proto.name ?? '';
  switch (attributeTypeOf(proto)) {
    case ATTRIBUTE_TYPE_CODES.float:
      return { name, type: 'float', value: proto.f ?? 0 };
    case ATTRIBUTE_TYPE_CODES.int:
      return { name, type: 'int', value: proto.i ?? 0 };
    case ATTRIBUTE_TYPE_CODES.string:
      return { name, type: 'string', value: utf8.decode(proto.s ?? new Uint8Array()) };
    case ATTRIBUTE_TYPE_CODES.tensor:
      return { name, type: 'tensor', value: tensorFromProto(proto.t ?? {}) };
    case ATTRIBUTE_TYPE_CODES.graph:
      return { name, type: 'graph', value: graphFromProto(proto.g ?? {}) };
    case ATTRIBUTE_TYPE_CODES.floats:
      return { name, type: 'floats', value: proto.floats ?? [] };
    case ATTRIBUTE_TYPE_CODES.ints:
      return { name, type: 'ints', value: proto.ints ?? [] };
    case ATTRIBUTE_TYPE_CODES.strings:
      return { name, type: 'strings', value: (proto.strings ?? []).map((b) => utf8.decode(b)) };
    case ATTRIBUTE_TYPE_CODES.tensors:
      return { name, type: 'tensors', value: (proto.tensors ?? []).map(tensorFromProto) };
    case ATTRIBUTE_TYPE_CODES.graphs:
      return { name, type: 'graphs', value: (proto.graphs ?? []).map(graphFromProto) };
    default:
      return null;
  }
}

function nodeFromProto(proto: NodeProtoObject): OnnxNode {
  const node: OnnxNode = {
    opType: proto.op_type ?? '',
    domain: proto.domain ?? '',
    name: proto.name ?? '',
    inputs: proto.input ?? [],
    outputs: proto.output ?? [],
    attributes: (proto.attribute ?? []).map(attributeFromProto).filter((a): a is OnnxAttribute => a !== null),
  };
  if (proto.doc_string) node.docString = proto.doc_string;
  return node;
}

function graphFromProto(proto: GraphProtoObject): OnnxGraph {
  const graph: OnnxGraph = {
    name: proto.name ?? '',
    nodes: (proto.node ?? []).map(nodeFromProto),
    initializers: (proto.initializer ?? []).map(tensorFromProto),
    inputs: (proto.input ?? []).map(valueInfoFromProto),
    outputs: (proto.output ?? []).map(valueInfoFromProto),
    valueInfo: (proto.value_info ?? []).map(valueInfoFromProto),
  };
  if (proto.doc_string) graph.docString = proto.doc_string;
  return graph;
}

/** Decodes ONNX protobuf bytes (any `.onnx` file with inline data) into typed objects. */
export function readOnnxModel(bytes: Uint8Array): OnnxModel {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) {
    throw invalidArgument('readOnnxModel needs the non-empty bytes of an ONNX model');
  }
  const type = modelProtoType();
  let proto: ModelProtoObject;
  try {
    proto = type.toObject(type.decode(bytes), { longs: Number, arrays: true }) as ModelProtoObject;
  } catch (error) {
    throw invalidArgument(`not a valid ONNX ModelProto: ${(error as Error).message}`);
  }
  if (proto.graph === undefined)
    throw invalidArgument('ONNX model has no graph (ModelProto.graph is required)');
  const model: OnnxModel = {
    irVersion: proto.ir_version ?? 0,
    opsetImports: (proto.opset_import ?? []).map((o) => ({
      domain: o.domain ?? '',
      version: o.version ?? 0,
    })),
    metadata: Object.fromEntries((proto.metadata_props ?? []).map((e) => [e.key ?? '', e.value ?? ''])),
    graph: graphFromProto(proto.graph),
  };
  if (proto.producer_name !== undefined) model.producerName = proto.producer_name;
  if (proto.producer_version !== undefined) model.producerVersion = proto.producer_version;
  if (proto.domain !== undefined) model.domain = proto.domain;
  if (proto.model_version !== undefined) model.modelVersion = proto.model_version;
  if (proto.doc_string !== undefined) model.docString = proto.doc_string;
  return model;
}
