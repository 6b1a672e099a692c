// The JSON shapes the row-oriented protocols (MLflow `/invocations`, KServe V1, Seldon v1) send,
// mapped onto a model's signature; and model outputs mapped back to plain JSON.
import { invalidArgument } from '../../errors/index.js';
import {
  isTabular,
  type NamedTensors,
  type Signature,
  type Tensor,
  type TensorSpec,
  tensorDataToJson,
  toCanonicalData,
  toRows,
  toTensors,
} from '../../models/index.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The shape of a (possibly nested) JSON array; INVALID_ARGUMENT when ragged. */
export function nestedShape(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) return [];
  const shape = [value.length];
  if (value.length === 0) return shape;
  const inner = nestedShape(value[0], what);
  for (let i = 1; i < value.length; i++) {
    const other = nestedShape(value[i], what);
    if (other.length !== inner.length || other.some((d, j) => d !== inner[j])) {
      throw invalidArgument(
        `${what}: nested lists are ragged (element ${i} has another shape than element 0)`,
      );
    }
  }
  return [...shape, ...inner];
}

/** A tensor for `spec` from a nested JSON array (shape read from the nesting) or given `shape`. */
export function tensorFromNested(spec: TensorSpec, value: unknown, what: string, shape?: number[]): Tensor {
  const dims = shape ?? nestedShape(value, what);
  const flat = Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
  const data = toCanonicalData(spec.datatype, flat, what);
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw invalidArgument(`${what}: shape [${dims.join(', ')}] needs ${count} values, got ${data.length}`);
  }
  return { datatype: spec.datatype, shape: dims, data };
}

/** The only input of the signature; INVALID_ARGUMENT naming them when there are several. */
export function soleInput(signature: Signature, hint: string): TensorSpec {
  if (signature.inputs.length !== 1) {
    throw invalidArgument(
      `the model takes ${signature.inputs.length} inputs (${signature.inputs.map((s) => s.name).join(', ')}): ${hint}`,
    );
  }
  return signature.inputs[0]!;
}

/**
 * Rows (TF-serving `instances`, KServe V1, Seldon `ndarray` rows) as tensors. Records keyed by input
 * names stack per input; other records are table rows mapped through the signature's columns; plain
 * values or lists feed the model's only input with the shape of the nesting.
 */
export function tensorsFromInstances(
  instances: unknown,
  signature: Signature,
  what = 'instances',
): NamedTensors {
  if (!Array.isArray(instances)) throw invalidArgument(`${what} must be a list`);
  const names = new Set(signature.inputs.map((s) => s.name));
  if (instances.length > 0 && instances.every(isRecord)) {
    const byInput = instances.every((r) => Object.keys(r).every((k) => names.has(k)));
    if (!byInput) return toTensors(instances, signature);
    const out: NamedTensors = {};
    for (const spec of signature.inputs) {
      const values = instances.map((r) => r[spec.name]);
      if (values.some((v) => v === undefined))
        throw invalidArgument(`${what}: every instance needs input '${spec.name}'`);
      out[spec.name] = tensorFromNested(spec, values, `${what} input '${spec.name}'`);
    }
    return out;
  }
  const spec = soleInput(signature, `send ${what} as objects keyed by input name`);
  return { [spec.name]: tensorFromNested(spec, instances, what) };
}

/**
 * TF-serving columnar `inputs`: a list feeds the only input; an object maps input names to nested
 * lists, or (when its keys are not input names) column names to column values.
 */
export function tensorsFromColumnar(inputs: unknown, signature: Signature, what = 'inputs'): NamedTensors {
  if (Array.isArray(inputs)) return tensorsFromInstances(inputs, signature, what);
  if (!isRecord(inputs)) throw invalidArgument(`${what} must be a list or an object of named values`);
  const names = new Set(signature.inputs.map((s) => s.name));
  const keys = Object.keys(inputs);
  if (keys.length > 0 && keys.every((k) => names.has(k))) {
    const out: NamedTensors = {};
    for (const spec of signature.inputs) {
      if (!(spec.name in inputs)) throw invalidArgument(`${what} lacks input '${spec.name}'`);
      out[spec.name] = tensorFromNested(spec, inputs[spec.name], `${what} '${spec.name}'`);
    }
    return out;
  }
  const columns = keys.map((k) => inputs[k]);
  const n = Array.isArray(columns[0]) ? columns[0].length : -1;
  if (n < 0 || columns.some((c) => !Array.isArray(c) || c.length !== n)) {
    throw invalidArgument(`${what}: columns must be lists of equal length (or keys must be input names)`);
  }
  const data = Array.from({ length: n }, (_, i) => columns.map((c) => (c as unknown[])[i]));
  return toTensors({ columns: keys, data }, signature);
}

/** Tabular input (`dataframe_split`, `dataframe_records`) as tensors; INVALID_ARGUMENT otherwise. */
export function tensorsFromTable(table: unknown, signature: Signature, what: string): NamedTensors {
  if (!isTabular(table)) throw invalidArgument(`${what} must be a list of records or { columns, data }`);
  return toTensors(table, signature);
}

/** A tensor's data as nested JSON lists of its shape (64-bit integers as numbers). */
export function nestedData(tensor: Tensor): unknown {
  const flat = tensorDataToJson(tensor.datatype, tensor.data);
  const nest = (from: number, dims: readonly number[]): unknown => {
    if (dims.length === 0) return flat[from];
    const inner = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0]! }, (_, k) => nest(from + k * inner, dims.slice(1)));
  };
  return nest(0, tensor.shape);
}

/**
 * Outputs as row-protocol predictions: one output gives its nested data; several give one record
 * per row (`{ label, probabilities }`, spread into the signature's output columns where declared),
 * as MLflow writes a DataFrame (`orient='records'`).
 */
export function predictionsOf(outputs: NamedTensors, signature: Signature): unknown {
  const entries = Object.values(outputs);
  if (entries.length === 1) return nestedData(entries[0]!);
  return toRows(outputs, signature);
}
