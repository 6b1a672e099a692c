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
import { tensorToProto } from './tensor-codec.js';
import {
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxType,
  type OnnxValueInfo,
  TENSOR_ELEMENT_TYPES,
} from './types.js';

const utf8 = new TextEncoder();

function typeToProto(type: OnnxType): TypeProtoObject {
  switch (type.kind) {
    case 'tensor': {
      const tensor: NonNullable<TypeProtoObject['tensor_type']> = {
        elem_type: TENSOR_ELEMENT_TYPES[type.elemType],
      };
      if (type.shape !== undefined) {
        tensor.shape = {
          dim: type.shape.map((d) =>
            typeof d === 'number' ? { dim_value: d } : d === null ? {} : { dim_param: d },
          ),
        };
      }
      return { tensor_type: tensor };
    }
    case 'sequence':
      return { sequence_type: { elem_type: typeToProto(type.elemType) } };
    case 'map':
      return {
        map_type: { key_type: TENSOR_ELEMENT_TYPES[type.keyType], value_type: typeToProto(type.valueType) },
      };
  }
}

function valueInfoToProto(info: OnnxValueInfo): ValueInfoProtoObject {
  const proto: ValueInfoProtoObject = { name: info.name, type: typeToProto(info.type) };
  if (info.docString) proto.doc_string = info.docString;
  return proto;
}

function requireInt64(name: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw invalidArgument(`attribute ${name} holds ${v}, not an integer`);
  }
}

function attributeToProto(attr: OnnxAttribute): AttributeProtoObject {
  if (attr.type === 'int') requireInt64(attr.name, [attr.value]);
  if (attr.type === 'ints') requireInt64(attr.name, attr.value);
  const proto: AttributeProtoObject = { name: attr.name, type: ATTRIBUTE_TYPE_CODES[attr.type] };
  switch (attr.type) {
    case 'float':
      proto.f = attr.value;
      break;
    case 'int':
      proto.i = attr.value;
      break;
    case 'string':
      proto.s = utf8.encode(attr.value);
      break;
    case 'tensor':
      proto.t = tensorToProto(attr.value);
      break;
    case 'graph':
      proto.g = graphToProto(attr.value);
      break;
    case 'floats':
      proto.floats = attr.value;
      break;
    case 'ints':
      proto.ints = attr.value;
      break;
    case 'strings':
      proto.strings = attr.value.map((s) => utf8.encode(s));
      break;
    case 'tensors':
      proto.tensors = attr.value.map(tensorToProto);
      break;
    case 'graphs':
      proto.graphs = attr.value.map(graphToProto);
      break;
  }
  return proto;
}

function nodeToProto(node: OnnxNode): NodeProtoObject {
  const proto: NodeProtoObject = {
    input: node.inputs,
    output: node.outputs,
    op_type: node.opType,
    attribute: node.attributes.map(attributeToProto),
  };
  if (node.name) proto.name = node.name;
  if (node.domain) proto.domain = node.domain;
  if (node.docString) proto.doc_string = node.docString;
  return proto;
}

function graphToProto(graph: OnnxGraph): GraphProtoObject {
  const proto: GraphProtoObject = {
    node: graph.nodes.map(nodeToProto),
    name: graph.name,
    initializer: graph.initializers.map(tensorToProto),
    input: graph.inputs.map(valueInfoToProto),
    output: graph.outputs.map(valueInfoToProto),
    value_info: graph.valueInfo.map(valueInfoToProto),
  };
  if (graph.docString) proto.doc_string = graph.docString;
  return proto;
}

/** Serialises a typed ONNX model to protobuf bytes (an `.onnx` file's content). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  if (!Number.isInteger(model.irVersion) || model.irVersion < 3) {
    throw invalidArgument(
      `irVersion must be an integer >= 3 (opset_import exists since IR 3), got ${model.irVersion}`,
    );
  }
  if (model.opsetImports.length === 0) {
    throw invalidArgument(
      'a model must import at least one operator set (onnx.proto ModelProto.opset_import)',
    );
  }
  const proto: ModelProtoObject = {
    ir_version: model.irVersion,
    opset_import: model.opsetImports.map((o) => ({ domain: o.domain, version: o.version })),
    graph: graphToProto(model.graph),
    metadata_props: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  };
  if (model.producerName !== undefined) proto.producer_name = model.producerName;
  if (model.producerVersion !== undefined) proto.producer_version = model.producerVersion;
  if (model.domain !== undefined) proto.domain = model.domain;
  if (model.modelVersion !== undefined) proto.model_version = model.modelVersion;
  if (model.docString !== undefined) proto.doc_string = model.docString;
  const type = modelProtoType();
  const bytes = type.encode(type.fromObject(proto)).finish();
  // protobufjs returns a Node Buffer, whose slice() shares memory; hand out a plain Uint8Array view.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
