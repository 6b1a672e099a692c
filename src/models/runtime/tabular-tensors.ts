import { invalidArgument } from '../../errors/index.js';
import {
  type Datatype,
  normalizeTable,
  type Signature,
  type TabularInput,
  type Tensor,
  type TensorSpec,
  tensorDataToJson,
  toCanonicalData,
} from '../package/index.js';
import type { NamedTensors } from './predictor.js';

/** Options for {@link toTensors}. */
export interface ToTensorsOptions {
  /** Read numeric and boolean strings ("1.5", "true") as values, as CSV cells arrive. Default false. */
  coerceStrings?: boolean;
}

/**
 * Maps rows (records or `{ columns, data }`) onto the signature's input tensors. An input with
 * `columns` gathers those columns into an [N, F] matrix in column order; any other input reads the
 * column of its own name as [N] (or [N, 1], or [N, K] from array cells). Extra columns are ignored.
 * Missing values become NaN for floating-point inputs and are an error otherwise.
 */
export function toTensors(
  rows: TabularInput,
  signature: Signature | undefined,
  options: ToTensorsOptions = {},
) {
  if (!signature) throw invalidArgument('tabular input needs a model signature to map columns onto inputs');
  const table = normalizeTable(rows);
  const index = new Map(table.columns.map((c, j) => [c, j]));
  const n = table.rows.length;
  const out: NamedTensors = {};
  for (const spec of signature.inputs) {
    const cell = (column: string) => {
      const j = index.get(column);
      if (j === undefined) {
        throw invalidArgument(
          `input '${spec.name}' needs column '${column}', which the rows lack (columns: ${table.columns.join(', ')})`,
        );
      }
      return (i: number) => convertCell(table.rows[i]![j], spec.datatype, column, i, options);
    };
    if (spec.columns) {
      const readers = spec.columns.map(cell);
      const values: unknown[] = new Array(n * readers.length);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < readers.length; j++) values[i * readers.length + j] = readers[j]!(i);
      }
      out[spec.name] = tensor(spec, [n, readers.length], values);
    } else {
      const read = cell(spec.name);
      const values = Array.from({ length: n }, (_, i) => read(i));
      out[spec.name] = columnTensor(spec, values, n);
    }
  }
  return out;
}

function columnTensor(spec: TensorSpec, values: unknown[], n: number): Tensor {
  if (spec.shape.length === 1) return tensor(spec, [n], values);
  if (spec.shape.length === 2) {
    if (spec.shape[1] === 1 && !values.some(Array.isArray)) return tensor(spec, [n, 1], values);
    const width = Array.isArray(values[0]) ? values[0].length : -1;
    if (width >= 0 && values.every((v) => Array.isArray(v) && v.length === width)) {
      return tensor(spec, [n, width], values.flat());
    }
  }
  throw invalidArgument(
    `input '${spec.name}' has shape [${spec.shape.join(', ')}]: a column feeds it only as one value per row, ` +
      'or as equal-length lists for [-1, K]; send named tensors instead',
  );
}

function tensor(spec: TensorSpec, shape: number[], values: unknown[]): Tensor {
  return {
    datatype: spec.datatype,
    shape,
    data: toCanonicalData(spec.datatype, values, `input '${spec.name}'`),
  };
}

const FLOATS: ReadonlySet<Datatype> = new Set(['FP16', 'FP32', 'FP64']);

function convertCell(
  value: unknown,
  datatype: Datatype,
  column: string,
  row: number,
  options: ToTensorsOptions,
) {
  if (
    value === undefined ||
    value === null ||
    (options.coerceStrings && value === '' && datatype !== 'BYTES')
  ) {
    if (FLOATS.has(datatype)) return Number.NaN;
    throw invalidArgument(`column '${column}' has no value in row ${row} (${datatype} needs one)`);
  }
  if (!options.coerceStrings || typeof value !== 'string' || datatype === 'BYTES') return value;
  if (datatype === 'BOOL') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    throw invalidArgument(`column '${column}' row ${row}: '${value}' is not a boolean`);
  }
  const number = Number(value);
  if (value.trim() === '' || Number.isNaN(number)) {
    if (FLOATS.has(datatype) && /^\s*nan\s*$/i.test(value)) return Number.NaN;
    throw invalidArgument(`column '${column}' row ${row}: '${value}' is not a number (${datatype})`);
  }
  return number;
}

/**
 * Maps output tensors back to one record per row (the first dimension). An output with `columns` in
 * the signature spreads into those columns; other rank-1 outputs give one value per row, higher
 * ranks a (nested) list per row. INVALID_ARGUMENT when the outputs do not share a batch dimension.
 */
export function toRows(outputs: NamedTensors, signature?: Signature): Record<string, unknown>[] {
  const entries = Object.entries(outputs);
  const n = entries[0]?.[1].shape[0];
  if (n === undefined) throw invalidArgument('outputs have no batch dimension to split into rows');
  const bad = entries.find(([, t]) => t.shape[0] !== n);
  if (bad) {
    throw invalidArgument(
      `output '${bad[0]}' has shape [${bad[1].shape.join(', ')}], not ${n} rows like the others`,
    );
  }
  const rows: Record<string, unknown>[] = Array.from({ length: n }, () => ({}));
  for (const [name, t] of entries) {
    const values = tensorDataToJson(t.datatype, t.data);
    const rowShape = t.shape.slice(1);
    const width = rowShape.reduce((a, b) => a * b, 1);
    const columns = signature?.outputs.find((s) => s.name === name)?.columns;
    for (let i = 0; i < n; i++) {
      const slice = values.slice(i * width, (i + 1) * width);
      if (rowShape.length === 0) rows[i]![name] = slice[0];
      else if (columns && rowShape.length === 1 && columns.length === width) {
        for (const [j, c] of columns.entries()) rows[i]![c] = slice[j];
      } else rows[i]![name] = nest(slice, rowShape);
    }
  }
  return rows;
}

function nest(flat: unknown[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return flat;
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, k) =>
    nest(flat.slice(k * inner, (k + 1) * inner), shape.slice(1)),
  );
}
