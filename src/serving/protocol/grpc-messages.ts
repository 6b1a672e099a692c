// Between the gRPC messages of `inference.proto` (as @grpc/proto-loader decodes them with keepCase,
// longs as strings, defaults and arrays on) and Osprey's tensors and parameters.
import { invalidArgument } from '../../errors/index.js';
import {
  type Datatype,
  elementCount,
  isDatatype,
  type NamedTensors,
  type Tensor,
  toCanonicalData,
} from '../../models/index.js';
import type { JsonValue } from '../types.js';
import { tensorFromBytes, tensorToBytes } from './tensor-bytes.js';

/** `InferParameter` (oneof `parameter_choice`). */
export interface GrpcParameter {
  parameter_choice?: string;
  bool_param?: boolean;
  int64_param?: string | number;
  string_param?: string;
  double_param?: number;
  uint64_param?: string | number;
}

/** `InferTensorContents`. */
export interface GrpcContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: (string | number)[];
  uint_contents?: number[];
  uint64_contents?: (string | number)[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Uint8Array[];
}

/** `ModelInferRequest.InferInputTensor` / `ModelInferResponse.InferOutputTensor`. */
export interface GrpcTensor {
  name: string;
  datatype: string;
  shape: (string | number)[];
  parameters?: Record<string, GrpcParameter>;
  contents?: GrpcContents | null;
}

type ContentsField = keyof GrpcContents;

/** The typed-contents field of each datatype (FP16 has none: it travels raw only). */
const FIELD: Readonly<Record<Exclude<Datatype, 'FP16'>, ContentsField>> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function shapeOf(what: string, shape: readonly (string | number)[]): number[] {
  return shape.map((d) => {
    const n = Number(d);
    if (!Number.isSafeInteger(n) || n < 0)
      throw invalidArgument(`${what}: shape must hold sizes >= 0, got ${d}`);
    return n;
  });
}

function typedContents(what: string, datatype: Datatype, shape: number[], contents: GrpcContents): Tensor {
  if (datatype === 'FP16') throw invalidArgument(`${what}: FP16 data must be sent in raw_input_contents`);
  const field = FIELD[datatype];
  const values = (contents[field] ?? []) as unknown[];
  const other = (Object.keys(FIELD) as Exclude<Datatype, 'FP16'>[])
    .map((d) => FIELD[d])
    .find((f) => f !== field && ((contents[f] as unknown[] | undefined)?.length ?? 0) > 0);
  if (other) throw invalidArgument(`${what}: ${datatype} data belongs in ${field}, not ${other}`);
  let data: unknown[] = values;
  if (datatype === 'INT64' || datatype === 'UINT64') data = values.map((v) => BigInt(v as string));
  if (datatype === 'BYTES') {
    data = values.map((v, i) => {
      try {
        return strictUtf8.decode(v as Uint8Array);
      } catch {
        throw invalidArgument(
          `${what}: BYTES element ${i} is not valid UTF-8 (Osprey carries BYTES as text)`,
        );
      }
    });
  }
  const canonical = toCanonicalData(datatype, data, what);
  if (canonical.length !== elementCount(shape)) {
    throw invalidArgument(
      `${what}: shape [${shape.join(', ')}] needs ${elementCount(shape)} elements, ${field} has ${canonical.length}`,
    );
  }
  return { datatype, shape, data: canonical };
}

/**
 * The input tensors of a `ModelInferRequest`, from typed contents or from `raw_input_contents`
 * (one entry per input, in order). INVALID_ARGUMENT naming the input when one is malformed.
 */
export function decodeGrpcInputs(inputs: readonly GrpcTensor[], raw: readonly Uint8Array[]): NamedTensors {
  if (inputs.length === 0) throw invalidArgument('inputs must hold at least one tensor');
  if (raw.length > 0 && raw.length !== inputs.length) {
    throw invalidArgument(`raw_input_contents has ${raw.length} entries for ${inputs.length} inputs`);
  }
  const out: NamedTensors = {};
  inputs.forEach((input, i) => {
    const name = input.name;
    if (!name) throw invalidArgument(`inputs[${i}] needs a name`);
    if (Object.hasOwn(out, name)) throw invalidArgument(`input '${name}' appears twice`);
    const what = `input '${name}'`;
    if (!isDatatype(input.datatype))
      throw invalidArgument(`${what}: unknown datatype ${JSON.stringify(input.datatype)}`);
    const shape = shapeOf(what, input.shape ?? []);
    if (raw.length > 0) {
      if (input.contents && Object.values(input.contents).some((v) => Array.isArray(v) && v.length > 0)) {
        throw invalidArgument(`${what} has typed contents although raw_input_contents is used`);
      }
      out[name] = tensorFromBytes(what, input.datatype, shape, raw[i]!);
    } else {
      out[name] = typedContents(what, input.datatype, shape, input.contents ?? {});
    }
  });
  return out;
}

/** An output tensor with typed contents. */
export function encodeTypedOutput(name: string, tensor: Tensor): GrpcTensor {
  const { datatype } = tensor;
  const base = { name, datatype, shape: [...tensor.shape] };
  if (datatype === 'FP16') throw invalidArgument(`output '${name}': FP16 needs raw_output_contents`);
  const data = toCanonicalData(datatype, tensor.data, `output '${name}'`);
  let values: unknown[];
  if (datatype === 'BOOL') values = Array.from(data as Uint8Array, (v) => v === 1);
  else if (datatype === 'INT64' || datatype === 'UINT64')
    values = Array.from(data as ArrayLike<bigint>, String);
  else if (datatype === 'BYTES') values = (data as string[]).map((s) => Buffer.from(s, 'utf8'));
  else values = Array.from(data as ArrayLike<number>);
  return { ...base, contents: { [FIELD[datatype]]: values } };
}

/** The raw bytes of an output (for `raw_output_contents`). */
export function encodeRawOutput(name: string, tensor: Tensor): Uint8Array {
  return tensorToBytes(tensor, `output '${name}'`);
}

/** Request parameters as JSON values (int64/uint64 as numbers when exact, else as strings). */
export function decodeParameters(
  map: Readonly<Record<string, GrpcParameter>> | undefined,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, p] of Object.entries(map ?? {})) {
    const choice = (p.parameter_choice ?? Object.keys(p).find((k) => k.endsWith('_param'))) as
      | keyof GrpcParameter
      | undefined;
    const value = choice ? p[choice] : undefined;
    if (value === undefined) continue;
    if (choice === 'int64_param' || choice === 'uint64_param') {
      const n = Number(value);
      out[key] = Number.isSafeInteger(n) ? n : String(value);
    } else out[key] = value as JsonValue;
  }
  return out;
}

/** JSON parameters as `InferParameter`s (objects and arrays as JSON strings). */
export function encodeParameters(
  values: Readonly<Record<string, JsonValue>> | undefined,
): Record<string, GrpcParameter> {
  const out: Record<string, GrpcParameter> = {};
  for (const [key, v] of Object.entries(values ?? {})) {
    if (typeof v === 'boolean') out[key] = { bool_param: v };
    else if (typeof v === 'number')
      out[key] = Number.isSafeInteger(v) ? { int64_param: v } : { double_param: v };
    else if (typeof v === 'string') out[key] = { string_param: v };
    else out[key] = { string_param: JSON.stringify(v) };
  }
  return out;
}
