// Raw tensor bytes as the OIP binary tensor data extension (Triton `extension_binary_data.md`) and
// the gRPC `raw_input_contents` / `raw_output_contents` fields lay them out: little-endian,
// row-major, no padding; BOOL one byte (0 or 1); each BYTES element a 4-byte little-endian
// length followed by its bytes; FP16 as 16-bit IEEE patterns.
import { invalidArgument } from '../../errors/index.js';
import {
  DATATYPE_SIZES,
  type Datatype,
  elementCount,
  fromFloat16Bits,
  type Tensor,
  type TypedArray,
  toCanonicalData,
  toFloat16Bits,
} from '../../models/index.js';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

type ArrayKind = { new (buffer: ArrayBufferLike): TypedArray };

const ARRAYS: Readonly<Record<Exclude<Datatype, 'BYTES' | 'FP16'>, ArrayKind>> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reverses the bytes of each `size`-byte element in place (only on big-endian hosts). */
function swapElements(bytes: Uint8Array, size: number): Uint8Array {
  if (LITTLE_ENDIAN || size === 1) return bytes;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  return bytes;
}

/** The wire bytes of a tensor (a view of its data when the layout already matches). */
export function tensorToBytes(tensor: Tensor, what = 'tensor'): Uint8Array {
  const { datatype } = tensor;
  if (datatype === 'BYTES') {
    const parts = (toCanonicalData('BYTES', tensor.data, what) as string[]).map((s) => utf8.encode(s));
    const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const part of parts) {
      view.setUint32(at, part.length, true);
      out.set(part, at + 4);
      at += 4 + part.length;
    }
    return out;
  }
  const data = toCanonicalData(datatype, tensor.data, what);
  if (datatype === 'FP16') {
    const bits = Uint16Array.from(data as Float32Array, toFloat16Bits);
    return swapElements(new Uint8Array(bits.buffer), 2);
  }
  const typed = data as TypedArray;
  const view = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  return LITTLE_ENDIAN ? view : swapElements(view.slice(), DATATYPE_SIZES[datatype]);
}

/** Number of bytes a tensor of fixed-size `datatype` and `shape` takes (undefined for BYTES). */
export function byteSize(datatype: Datatype, shape: readonly number[]): number | undefined {
  return datatype === 'BYTES' ? undefined : elementCount(shape) * DATATYPE_SIZES[datatype];
}

/**
 * Reads a tensor from its wire bytes. INVALID_ARGUMENT (naming `what`) when the byte count does not
 * fit the shape, a BOOL byte is not 0/1, or a BYTES element is cut short or not UTF-8 (Osprey holds
 * BYTES elements as text).
 */
export function tensorFromBytes(
  what: string,
  datatype: Datatype,
  shape: readonly number[],
  bytes: Uint8Array,
): Tensor {
  const count = elementCount(shape);
  if (datatype === 'BYTES')
    return { datatype, shape: [...shape], data: readByteElements(what, count, bytes) };
  const expected = count * DATATYPE_SIZES[datatype];
  if (bytes.length !== expected) {
    throw invalidArgument(
      `${what}: ${datatype} shape [${shape.join(', ')}] needs ${expected} bytes of data, got ${bytes.length}`,
    );
  }
  // A copy: the source may sit at an offset the typed array cannot be aligned to.
  const aligned = swapElements(new Uint8Array(bytes), DATATYPE_SIZES[datatype]);
  if (datatype === 'FP16') {
    const bits = new Uint16Array(aligned.buffer);
    return { datatype, shape: [...shape], data: Float32Array.from(bits, fromFloat16Bits) };
  }
  const typed = new ARRAYS[datatype](aligned.buffer);
  return { datatype, shape: [...shape], data: toCanonicalData(datatype, typed, what) };
}

function readByteElements(what: string, count: number, bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (out.length === count) {
      throw invalidArgument(`${what}: BYTES data holds more than the ${count} elements its shape needs`);
    }
    if (at + 4 > bytes.length) {
      throw invalidArgument(
        `${what}: BYTES element ${out.length} is cut short (its 4-byte length is missing)`,
      );
    }
    const length = view.getUint32(at, true);
    if (at + 4 + length > bytes.length) {
      throw invalidArgument(
        `${what}: BYTES element ${out.length} declares ${length} bytes but only ${bytes.length - at - 4} remain`,
      );
    }
    try {
      out.push(strictUtf8.decode(bytes.subarray(at + 4, at + 4 + length)));
    } catch {
      throw invalidArgument(
        `${what}: BYTES element ${out.length} is not valid UTF-8 (Osprey carries BYTES as text)`,
      );
    }
    at += 4 + length;
  }
  if (out.length !== count) {
    throw invalidArgument(`${what}: shape needs ${count} BYTES elements, data has ${out.length}`);
  }
  return out;
}
