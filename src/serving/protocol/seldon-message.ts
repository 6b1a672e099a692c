// Seldon Core v1 `SeldonMessage` ↔ Osprey tensors (reference note serving.md §1.2, from the
// published external API description; no Seldon code is used). `data` carries `ndarray` (nested
// rows) or `tensor {shape, values}` with optional `names` (columns); `jsonData` and `strData` are
// the other payloads handled here.
import { invalidArgument } from '../../errors/index.js';
import {
  type NamedTensors,
  type Signature,
  type Tensor,
  type TensorSpec,
  tensorDataToJson,
  toTensors,
} from '../../models/index.js';
import {
  nestedData,
  soleInput,
  tensorFromNested,
  tensorsFromColumnar,
  tensorsFromInstances,
} from './row-tensors.js';

/** Which payload a message used; the answer mirrors it. */
export type SeldonPayloadKind = 'ndarray' | 'tensor' | 'jsonData' | 'strData';

/** `SeldonMessage.meta`. */
export interface SeldonMeta {
  puid?: string;
  tags?: Record<string, unknown>;
  routing?: Record<string, number>;
  requestPath?: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `meta` of a message (empty when absent); INVALID_ARGUMENT when it is not an object. */
export function seldonMeta(message: Record<string, unknown>): SeldonMeta {
  const meta = message.meta;
  if (meta === undefined) return {};
  if (!isRecord(meta)) throw invalidArgument('meta must be an object');
  if (meta.puid !== undefined && typeof meta.puid !== 'string')
    throw invalidArgument('meta.puid must be a string');
  if (meta.tags !== undefined && !isRecord(meta.tags)) throw invalidArgument('meta.tags must be an object');
  if (meta.routing !== undefined) {
    if (!isRecord(meta.routing) || !Object.values(meta.routing).every((v) => Number.isInteger(v))) {
      throw invalidArgument('meta.routing must map node names to integers');
    }
  }
  return meta as SeldonMeta;
}

function fromData(data: unknown, signature: Signature): NamedTensors {
  if (!isRecord(data)) throw invalidArgument('data must be an object with ndarray or tensor');
  const names = data.names;
  if (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === 'string'))) {
    throw invalidArgument('data.names must be a list of strings');
  }
  if (data.ndarray !== undefined) {
    const rows = data.ndarray;
    if (!Array.isArray(rows)) throw invalidArgument('data.ndarray must be a list');
    // Named columns map through the signature's columns, as a table would.
    const columnsInput = signature.inputs.length === 1 && signature.inputs[0]!.columns;
    if (names && names.length > 0 && columnsInput && rows.every(Array.isArray)) {
      return toTensors({ columns: names as string[], data: rows as unknown[][] }, signature);
    }
    return tensorsFromInstances(rows, signature, 'data.ndarray');
  }
  if (data.tensor !== undefined) {
    const t = data.tensor;
    if (!isRecord(t) || !Array.isArray(t.shape) || !Array.isArray(t.values)) {
      throw invalidArgument('data.tensor must be { shape: [..], values: [..] }');
    }
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw invalidArgument('data.tensor.shape must be a list of non-negative integers');
    }
    const spec = soleInput(signature, 'send jsonData keyed by input name');
    return { [spec.name]: tensorFromNested(spec, t.values, 'data.tensor', t.shape as number[]) };
  }
  throw invalidArgument('data must hold ndarray or tensor (tftensor is not supported)');
}

/** The tensors a prediction request carries, and which payload kind it used. */
export function decodeSeldonPayload(
  message: Record<string, unknown>,
  signature: Signature,
): { inputs: NamedTensors; kind: SeldonPayloadKind } {
  const present = ['data', 'jsonData', 'strData', 'binData', 'customData'].filter(
    (k) => message[k] !== undefined,
  );
  if (present.length !== 1) {
    throw invalidArgument(
      `a SeldonMessage needs exactly one of data, jsonData, strData (got: ${present.join(', ') || 'none'})`,
    );
  }
  const kind = present[0]!;
  if (kind === 'data') {
    const data = message.data as Record<string, unknown>;
    return {
      inputs: fromData(data, signature),
      kind: isRecord(data) && data.tensor !== undefined ? 'tensor' : 'ndarray',
    };
  }
  if (kind === 'jsonData') {
    const json = message.jsonData;
    const spec = signature.inputs.length === 1 ? signature.inputs[0]! : undefined;
    // A model taking one BYTES input gets the JSON text; others get tensors by input or column name.
    if (spec?.datatype === 'BYTES') {
      return {
        inputs: { [spec.name]: { datatype: 'BYTES', shape: [1], data: [JSON.stringify(json)] } },
        kind: 'jsonData',
      };
    }
    return { inputs: tensorsFromColumnar(json, signature, 'jsonData'), kind: 'jsonData' };
  }
  if (kind === 'strData') {
    if (typeof message.strData !== 'string') throw invalidArgument('strData must be a string');
    const spec = soleInput(signature, 'strData feeds a model with one BYTES input');
    if (spec.datatype !== 'BYTES')
      throw invalidArgument(`strData feeds a BYTES input; '${spec.name}' is ${spec.datatype}`);
    return {
      inputs: { [spec.name]: { datatype: 'BYTES', shape: [1], data: [message.strData] } },
      kind: 'strData',
    };
  }
  throw invalidArgument(`${kind} is not supported: send data (ndarray or tensor), jsonData or strData`);
}

/** Per-row width and column names of one output (its own columns, `name`, or `name:j`). */
function outputColumns(name: string, tensor: Tensor, spec: TensorSpec | undefined): string[] {
  const width = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
  if (spec?.columns && spec.columns.length === width) return [...spec.columns];
  if (tensor.shape.length <= 1) return [name];
  return Array.from({ length: width }, (_, j) => `${name}:${j}`);
}

/**
 * The `data` of a response: one output keeps its shape; several outputs sharing a batch dimension
 * are placed side by side, one row per example, with `names` saying which column is which.
 */
export function encodeSeldonData(
  outputs: NamedTensors,
  signature: Signature,
  kind: 'ndarray' | 'tensor',
): Record<string, unknown> {
  const entries = Object.entries(outputs);
  const spec = (name: string) => signature.outputs.find((s) => s.name === name);
  if (entries.length === 1) {
    const [name, tensor] = entries[0]!;
    const names = outputColumns(name, tensor, spec(name));
    if (kind === 'tensor') {
      return {
        names,
        tensor: { shape: [...tensor.shape], values: tensorDataToJson(tensor.datatype, tensor.data) },
      };
    }
    return { names, ndarray: nestedData(tensor) };
  }
  const n = entries[0]![1].shape[0] ?? 1;
  if (entries.some(([, t]) => (t.shape[0] ?? 1) !== n)) {
    throw invalidArgument('the outputs do not share a batch dimension: use jsonData');
  }
  const names = entries.flatMap(([name, t]) => outputColumns(name, t, spec(name)));
  const flat = entries.map(([, t]) => tensorDataToJson(t.datatype, t.data));
  const widths = entries.map(([, t]) => t.shape.slice(1).reduce((a, b) => a * b, 1));
  const rows = Array.from({ length: n }, (_, i) =>
    flat.flatMap((values, k) => values.slice(i * widths[k]!, (i + 1) * widths[k]!)),
  );
  if (kind === 'tensor') return { names, tensor: { shape: [n, names.length], values: rows.flat() } };
  return { names, ndarray: rows };
}

/** The payload of a response in the kind the request used. */
export function encodeSeldonPayload(
  outputs: NamedTensors,
  signature: Signature,
  kind: SeldonPayloadKind,
): Record<string, unknown> {
  if (kind === 'ndarray' || kind === 'tensor') return { data: encodeSeldonData(outputs, signature, kind) };
  const entries = Object.entries(outputs);
  const only = entries.length === 1 ? entries[0]![1] : undefined;
  if (kind === 'strData' && only?.datatype === 'BYTES' && only.data.length === 1) {
    return { strData: String(only.data[0]) };
  }
  return { jsonData: Object.fromEntries(entries.map(([name, t]) => [name, nestedData(t)])) };
}

/** Truth labels of a feedback message as one tensor named after the output they grade. */
export function decodeTruth(message: unknown, signature: Signature): NamedTensors | undefined {
  if (message === undefined || message === null) return undefined;
  if (!isRecord(message) || !isRecord(message.data))
    throw invalidArgument('truth must be a SeldonMessage with data');
  const data = message.data;
  const names = Array.isArray(data.names) ? data.names : [];
  const spec = signature.outputs.find((s) => s.name === names[0]) ??
    signature.outputs[0] ?? { name: 'truth', datatype: 'FP64' as const, shape: [-1] };
  if (data.ndarray !== undefined)
    return { [spec.name]: tensorFromNested(spec, data.ndarray, 'truth.data.ndarray') };
  const t = data.tensor;
  if (isRecord(t) && Array.isArray(t.shape) && Array.isArray(t.values)) {
    return { [spec.name]: tensorFromNested(spec, t.values, 'truth.data.tensor', t.shape as number[]) };
  }
  throw invalidArgument('truth.data must hold ndarray or tensor');
}
