import { invalidArgument } from '../../errors/index.js';
import type { TensorProtoObject } from './proto-objects.js';
import { type OnnxTensor, TENSOR_ELEMENT_TYPES, type TensorElementType } from './types.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Maps a TensorProto.DataType code to Osprey's element type name, or throws for unsupported codes. */
export function elementTypeFromCode(code: number, where: string): TensorElementType {
  for (const [name, value] of Object.entries(TENSOR_ELEMENT_TYPES)) {
    if (value === code) return name as TensorElementType;
  }
  throw invalidArgument(`unsupported ONNX tensor element type ${code} in ${where}`);
}

/** Number of elements implied by `dims` (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}

// Numeric data is written as raw_data: the spec requires fixed-width little-endian values there
// (onnx.proto, TensorProto.raw_data), which is also what the reference exporters emit.
function rawBytes(tensor: Exclude<OnnxTensor, { dataType: 'string' }>): Uint8Array {
  const v = tensor.values;
  const out = new Uint8Array(v.length * v.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) {
    switch (tensor.dataType) {
      case 'float':
        view.setFloat32(i * 4, tensor.values[i]!, true);
        break;
      case 'double':
        view.setFloat64(i * 8, tensor.values[i]!, true);
        break;
      case 'int32':
        view.setInt32(i * 4, tensor.values[i]!, true);
        break;
      case 'int64':
        view.setBigInt64(i * 8, tensor.values[i]!, true);
        break;
      case 'int8':
        view.setInt8(i, tensor.values[i]!);
        break;
      default:
        view.setUint8(i, tensor.values[i]!);
    }
  }
  return out;
}

/** Converts a typed tensor into the TensorProto plain object protobufjs encodes. */
export function tensorToProto(tensor: OnnxTensor): TensorProtoObject {
  const expected = elementCount(tensor.dims);
  if (tensor.values.length !== expected) {
    throw invalidArgument(
      `tensor '${tensor.name}' has ${tensor.values.length} values but dims [${tensor.dims.join(', ')}] need ${expected}`,
    );
  }
  const proto: TensorProtoObject = {
    dims: [...tensor.dims],
    data_type: TENSOR_ELEMENT_TYPES[tensor.dataType],
    name: tensor.name,
  };
  if (tensor.dataType === 'string') proto.string_data = tensor.values.map((s) => utf8Encoder.encode(s));
  else proto.raw_data = rawBytes(tensor);
  return proto;
}

function fromRaw(
  type: Exclude<TensorElementType, 'string'>,
  raw: Uint8Array,
  count: number,
): OnnxTensor['values'] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const width = { float: 4, double: 8, int32: 4, int64: 8, int8: 1, uint8: 1, bool: 1 }[type];
  if (raw.byteLength !== count * width) {
    throw invalidArgument(`tensor raw_data has ${raw.byteLength} bytes, expected ${count * width}`);
  }
  switch (type) {
    case 'float':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
    case 'double':
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, true));
    case 'int32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
    case 'int64':
      return BigInt64Array.from({ length: count }, (_, i) => view.getBigInt64(i * 8, true));
    case 'int8':
      return Int8Array.from({ length: count }, (_, i) => view.getInt8(i));
    default:
      return Uint8Array.from(raw);
  }
}

function fromTypedFields(type: TensorElementType, proto: TensorProtoObject): OnnxTensor['values'] {
  switch (type) {
    case 'float':
      return Float32Array.from(proto.float_data ?? []);
    case 'double':
      return Float64Array.from(proto.double_data ?? []);
    case 'int32':
      return Int32Array.from(proto.int32_data ?? []);
    case 'int64':
      return BigInt64Array.from((proto.int64_data ?? []).map((v) => BigInt(v)));
    case 'int8':
      return Int8Array.from(proto.int32_data ?? []);
    case 'string':
      return (proto.string_data ?? []).map((b) => utf8Decoder.decode(b));
    default:
      return Uint8Array.from(proto.int32_data ?? []);
  }
}

/** Converts a decoded TensorProto plain object into a typed tensor (raw_data or typed fields). */
export function tensorFromProto(proto: TensorProtoObject): OnnxTensor {
  const name = proto.name ?? '';
  const dims = proto.dims ?? [];
  const dataType = elementTypeFromCode(proto.data_type ?? 0, `tensor '${name}'`);
  const count = elementCount(dims);
  const values =
    proto.raw_data !== undefined && proto.raw_data.byteLength > 0 && dataType !== 'string'
      ? fromRaw(dataType, proto.raw_data, count)
      : fromTypedFields(dataType, proto);
  if (values.length !== count) {
    throw invalidArgument(`tensor '${name}' holds ${values.length} values but its dims need ${count}`);
  }
  return { name, dims, dataType, values } as OnnxTensor;
}
