import { invalidArgument } from '../../errors/index.js';
import { type Datatype, INTEGER_RANGES } from './datatypes.js';

/** Any of JavaScript's typed arrays (the 64-bit integer ones hold bigints). */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Row-major tensor elements: a typed array, or a plain (possibly nested) array of JSON values. */
export type TensorData = TypedArray | (string | boolean | number)[];

/** A named input or output of a model, as the Open Inference Protocol describes one. */
export interface Tensor {
  datatype: Datatype;
  shape: number[];
  data: TensorData;
}

/** Number of elements in a tensor of `shape` (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * The canonical in-memory form of each datatype: numbers in the matching typed array (FP16 widened
 * to Float32Array, BOOL as 0/1 bytes, INT64/UINT64 as bigints), BYTES as strings. Runtimes receive
 * and return data in this form.
 */
export function toCanonicalData(datatype: Datatype, data: unknown, where: string): TypedArray | string[] {
  const values = flatten(data, where);
  switch (datatype) {
    case 'BYTES':
      return Array.from(values as ArrayLike<unknown>, (v, i) => {
        if (typeof v !== 'string') throw badElement(where, i, v, 'a string');
        return v;
      });
    case 'BOOL': {
      if (values instanceof Uint8Array) return checkBoolBytes(values, where);
      return Uint8Array.from(values as ArrayLike<unknown>, (v, i) => {
        if (v === true || v === 1) return 1;
        if (v === false || v === 0) return 0;
        throw badElement(where, i, v, 'a boolean');
      });
    }
    case 'FP16':
    case 'FP32':
      return floats(values, Float32Array, where);
    case 'FP64':
      return floats(values, Float64Array, where);
    case 'INT64':
      return values instanceof BigInt64Array ? values : bigints(values, BigInt64Array, where, false);
    case 'UINT64':
      return values instanceof BigUint64Array ? values : bigints(values, BigUint64Array, where, true);
    default:
      return integers(datatype, values, where);
  }
}

/** Tensor data as plain JSON values (BOOL as booleans, 64-bit integers as numbers). */
export function tensorDataToJson(datatype: Datatype, data: TensorData): (string | boolean | number)[] {
  const flat = flatten(data, 'data');
  if (datatype === 'BOOL') return Array.from(flat as ArrayLike<unknown>, (v) => v === true || v === 1);
  if (Array.isArray(flat)) return flat as (string | boolean | number)[];
  return Array.from(flat as ArrayLike<number | bigint>, Number);
}

type Flat = TypedArray | unknown[];

function flatten(data: unknown, where: string): Flat {
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return data as TypedArray;
  if (!Array.isArray(data)) throw invalidArgument(`${where}: data must be an array or a typed array`);
  return data.some(Array.isArray) ? (data.flat(Number.POSITIVE_INFINITY) as unknown[]) : data;
}

function badElement(where: string, index: number, value: unknown, expected: string) {
  const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
  return invalidArgument(`${where}: element ${index} is ${shown}, expected ${expected}`);
}

function checkBoolBytes(values: Uint8Array, where: string): Uint8Array {
  const bad = values.findIndex((v) => v > 1);
  if (bad >= 0) throw badElement(where, bad, values[bad], 'a boolean (0 or 1)');
  return values;
}

function floats<T extends Float32Array | Float64Array>(
  values: Flat,
  Kind: { new (n: number): T },
  where: string,
): T {
  if (values instanceof Kind) return values;
  const out = new Kind(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') out[i] = v;
    else if (typeof v === 'bigint') out[i] = Number(v);
    else throw badElement(where, i, v, 'a number');
  }
  return out;
}

const INT_ARRAYS = {
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
} as const;

function integers(datatype: Datatype, values: Flat, where: string): TypedArray {
  const Kind = INT_ARRAYS[datatype as keyof typeof INT_ARRAYS];
  const range = INTEGER_RANGES[datatype];
  if (!Kind || !range) throw invalidArgument(`${where}: unsupported datatype ${datatype}`);
  if (values instanceof Kind) return values;
  const [lo, hi] = range;
  const out = new Kind(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw badElement(where, i, raw, `an integer in [${lo}, ${hi}] (${datatype})`);
    }
    out[i] = v;
  }
  return out;
}

function bigints<T extends BigInt64Array | BigUint64Array>(
  values: Flat,
  Kind: { new (n: number): T },
  where: string,
  unsigned: boolean,
): T {
  const out = new Kind(values.length);
  const type = unsigned ? 'UINT64' : 'INT64';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let big: bigint;
    if (typeof v === 'bigint') big = v;
    else if (typeof v === 'number' && Number.isInteger(v)) big = BigInt(v);
    else throw badElement(where, i, v, `an integer (${type})`);
    if (unsigned ? big < 0n || big >= 1n << 64n : big < -(1n << 63n) || big >= 1n << 63n) {
      throw badElement(where, i, v, `an integer in the ${type} range`);
    }
    out[i] = big;
  }
  return out;
}
