// Decodes an Open Inference Protocol REST inference request (OIP `inference_rest.md`,
// "$inference_request"), with the binary tensor data extension (Triton `extension_binary_data.md`):
// when `Inference-Header-Content-Length` is given, the body is that many bytes of JSON followed by
// the raw data of every input whose parameters carry `binary_data_size`, in input order.
import { invalidArgument } from '../../errors/index.js';
import { checkTensor, isDatatype, type NamedTensors } from '../../models/index.js';
import type { JsonValue } from '../types.js';
import { tensorFromBytes } from './tensor-bytes.js';

/** A decoded OIP request, before the id and headers are attached. */
export interface OipRequest {
  id?: string;
  inputs: NamedTensors;
  /** Names of the requested outputs, in order (undefined = all). */
  outputs?: string[];
  /** Request parameters without the binary extension's own keys. */
  parameters?: Record<string, JsonValue>;
  /** Whether each output goes back as binary data (`binary_data` per output over `binary_data_output`). */
  binaryOutput: (name: string) => boolean;
}

/** Request-level and tensor-level parameters that belong to the transport, not to the model. */
const TRANSPORT_PARAMETERS = new Set(['binary_data_output', 'binary_data_size', 'binary_data']);

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Splits the body into the JSON header text and the binary tail. */
function splitBody(body: Buffer, headerLength: string | undefined): { json: string; binary: Buffer } {
  if (headerLength === undefined) return { json: body.toString('utf8'), binary: body.subarray(body.length) };
  const n = Number(headerLength);
  if (!/^\d+$/.test(headerLength.trim()) || !Number.isSafeInteger(n)) {
    throw invalidArgument(`Inference-Header-Content-Length must be a byte count, got '${headerLength}'`);
  }
  if (n > body.length) {
    throw invalidArgument(
      `Inference-Header-Content-Length is ${n} but the body has only ${body.length} bytes (truncated request?)`,
    );
  }
  return { json: body.subarray(0, n).toString('utf8'), binary: body.subarray(n) };
}

function parseJson(text: string): JsonObject {
  if (text.trim() === '')
    throw invalidArgument('the request body is empty: expected an OIP inference request');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(`the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw invalidArgument('the inference request must be a JSON object');
  return value;
}

function parameters(value: unknown, where: string): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw invalidArgument(`${where} parameters must be an object`);
  return value;
}

/**
 * Decodes the body of `POST /v2/models/{m}/infer`. INVALID_ARGUMENT with a message naming the
 * offending tensor or field for malformed JSON, bad tensors, and binary data that is short, long or
 * inconsistent with the JSON header.
 */
export function decodeOipRequest(body: Buffer, headerLength: string | undefined): OipRequest {
  const { json, binary } = splitBody(body, headerLength);
  const root = parseJson(json);
  if (root.id !== undefined && typeof root.id !== 'string') throw invalidArgument('id must be a string');
  const requestParameters = parameters(root.parameters, 'request');
  const inputList = root.inputs;
  if (!Array.isArray(inputList) || inputList.length === 0) {
    throw invalidArgument('inputs must be a non-empty list of { name, shape, datatype, data }');
  }
  const inputs: NamedTensors = {};
  let offset = 0;
  inputList.forEach((item: unknown, i) => {
    if (!isObject(item))
      throw invalidArgument(`inputs[${i}] must be an object { name, shape, datatype, data }`);
    const name = item.name;
    if (typeof name !== 'string' || name === '') throw invalidArgument(`inputs[${i}] needs a name`);
    if (Object.hasOwn(inputs, name)) throw invalidArgument(`input '${name}' appears twice`);
    const what = `input '${name}'`;
    const size = parameters(item.parameters, what)?.binary_data_size;
    if (size === undefined) {
      if (item.data === undefined) throw invalidArgument(`${what} has no data (nor binary_data_size)`);
      inputs[name] = checkTensor(what, item);
      return;
    }
    if (item.data !== undefined) throw invalidArgument(`${what} has both data and binary_data_size`);
    if (headerLength === undefined) {
      throw invalidArgument(
        `${what} has binary_data_size but the request has no Inference-Header-Content-Length`,
      );
    }
    if (!Number.isSafeInteger(size) || (size as number) < 0) {
      throw invalidArgument(`${what}: binary_data_size must be a byte count`);
    }
    const n = size as number;
    if (offset + n > binary.length) {
      throw invalidArgument(
        `${what}: binary_data_size is ${n} but only ${binary.length - offset} bytes of binary data remain (truncated request?)`,
      );
    }
    const { datatype, shape } = item;
    if (!isDatatype(datatype)) throw invalidArgument(`${what}: unknown datatype ${JSON.stringify(datatype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw invalidArgument(`${what}: shape must be a list of non-negative integers`);
    }
    inputs[name] = tensorFromBytes(what, datatype, shape as number[], binary.subarray(offset, offset + n));
    offset += n;
  });
  if (offset !== binary.length) {
    throw invalidArgument(
      `the body has ${binary.length - offset} bytes of binary data that no input's binary_data_size accounts for`,
    );
  }
  const { outputs, binaryByName } = requestedOutputs(root.outputs);
  const allBinary = requestParameters?.binary_data_output;
  if (allBinary !== undefined && typeof allBinary !== 'boolean') {
    throw invalidArgument('binary_data_output must be a boolean');
  }
  const forwarded = requestParameters
    ? Object.fromEntries(Object.entries(requestParameters).filter(([k]) => !TRANSPORT_PARAMETERS.has(k)))
    : undefined;
  return {
    ...(typeof root.id === 'string' ? { id: root.id } : {}),
    inputs,
    ...(outputs ? { outputs } : {}),
    ...(forwarded && Object.keys(forwarded).length > 0
      ? { parameters: forwarded as Record<string, JsonValue> }
      : {}),
    binaryOutput: (name) => binaryByName.get(name) ?? allBinary === true,
  };
}

function requestedOutputs(list: unknown): { outputs?: string[]; binaryByName: Map<string, boolean> } {
  const binaryByName = new Map<string, boolean>();
  if (list === undefined) return { binaryByName };
  if (!Array.isArray(list)) throw invalidArgument('outputs must be a list of { name, parameters? }');
  const outputs = list.map((item: unknown, i) => {
    const name = isObject(item) ? item.name : undefined;
    if (typeof name !== 'string' || name === '') throw invalidArgument(`outputs[${i}] needs a name`);
    if (binaryByName.has(name)) throw invalidArgument(`output '${name}' is requested twice`);
    const binary = parameters((item as JsonObject).parameters, `output '${name}'`)?.binary_data;
    if (binary !== undefined && typeof binary !== 'boolean') {
      throw invalidArgument(`output '${name}': binary_data must be a boolean`);
    }
    binaryByName.set(name, binary as boolean);
    return name;
  });
  for (const [name, binary] of binaryByName) if (binary === undefined) binaryByName.delete(name);
  return { outputs, binaryByName };
}
