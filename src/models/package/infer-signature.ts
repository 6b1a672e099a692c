import { invalidArgument } from '../../errors/index.js';
import { type Datatype, isDatatype } from './datatypes.js';
import type { Signature, TensorSpec } from './manifest-schema.js';
import { isTabular, normalizeTable } from './tabular.js';

/** Options for {@link inferSignature}. */
export interface InferSignatureOptions {
  /** An example of what the model returns (same forms as the input example). */
  outputExample?: unknown;
  /** Datatype given to JSON numbers (JSON cannot tell 1 from 1.0). Default FP32, what ONNX models take. */
  floatType?: 'FP32' | 'FP64';
  /** Name of the single matrix input built from all-numeric rows. Default `input`. */
  inputName?: string;
}

/**
 * Infers a signature from an example. Accepted examples: an OIP request (`{ inputs: [...] }`), named
 * tensors (`{ x: { datatype, shape, data } }`), or rows (records or `{ columns, data }`). The first
 * dimension becomes -1 (batch). All-numeric rows become one [-1, F] matrix with column names; mixed
 * rows become one [-1] tensor per column (numbers → floatType, strings → BYTES, booleans → BOOL).
 */
export function inferSignature(example: unknown, options: InferSignatureOptions = {}): Signature {
  const inputs = inferSpecs(example, options, true, 'input example');
  const outputs =
    options.outputExample === undefined
      ? []
      : inferSpecs(options.outputExample, options, false, 'output example');
  return { inputs, outputs };
}

function inferSpecs(
  example: unknown,
  options: InferSignatureOptions,
  merge: boolean,
  what: string,
): TensorSpec[] {
  const tensors = tensorList(example);
  if (tensors) return tensors.map(([name, t]) => tensorSpec(name, t, what));
  if (!isTabular(example)) {
    throw invalidArgument(
      `${what} must be an OIP request, named tensors, or rows (records or { columns, data })`,
    );
  }
  const table = normalizeTable(example);
  if (table.rows.length === 0) throw invalidArgument(`${what} has no rows`);
  const floatType = options.floatType ?? 'FP32';
  const types = table.columns.map((column, j) =>
    columnType(
      column,
      table.rows.map((r) => r[j]),
      floatType,
      what,
    ),
  );
  if (merge && types.every((t) => t === floatType)) {
    const n = table.columns.length;
    return [
      { name: options.inputName ?? 'input', datatype: floatType, shape: [-1, n], columns: table.columns },
    ];
  }
  return table.columns.map((name, j) => ({ name, datatype: types[j]!, shape: [-1] }));
}

function tensorList(example: unknown): [string, Record<string, unknown>][] | undefined {
  if (example === null || typeof example !== 'object' || Array.isArray(example)) return undefined;
  const record = example as Record<string, unknown>;
  if (Array.isArray(record.inputs) || Array.isArray(record.outputs)) {
    const list = (record.inputs ?? record.outputs) as unknown[];
    return list.map((t, i) => {
      const name = (t as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') throw invalidArgument(`tensor ${i} needs a string name`);
      return [name, t as Record<string, unknown>];
    });
  }
  const entries = Object.entries(record);
  const isTensor = (v: unknown) => v !== null && typeof v === 'object' && 'datatype' in v && 'shape' in v;
  if (entries.length > 0 && entries.every(([, v]) => isTensor(v))) {
    return entries as [string, Record<string, unknown>][];
  }
  return undefined;
}

function tensorSpec(name: string, tensor: Record<string, unknown>, what: string): TensorSpec {
  const { datatype, shape } = tensor;
  if (!isDatatype(datatype))
    throw invalidArgument(`${what}: tensor '${name}' has unknown datatype ${String(datatype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalidArgument(`${what}: tensor '${name}' needs a shape of non-negative integers`);
  }
  return { name, datatype, shape: shape.length === 0 ? [] : [-1, ...(shape.slice(1) as number[])] };
}

function columnType(column: string, values: unknown[], floatType: Datatype, what: string): Datatype {
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size === 1) {
    if (kinds.has('number')) return floatType;
    if (kinds.has('string')) return 'BYTES';
    if (kinds.has('boolean')) return 'BOOL';
  }
  throw invalidArgument(
    `${what}: column '${column}' must hold only numbers, only strings or only booleans (found ${[...kinds].join(', ')})`,
  );
}
