/**
 * Turns logged inference requests (CloudEvents with Open Inference Protocol bodies) into feature
 * rows, and responses into per-row predictions. A request that does not match the monitor's
 * features (missing tensor, column out of range, batch sizes that disagree) yields an error
 * message instead of rows, so one bad client cannot stop a monitor.
 */
import type { CellValue } from '../types.js';
import type { FeatureSpecOfMonitor } from './monitor-spec.js';

interface LoggedTensor {
  name: string;
  shape: number[];
  data: unknown[];
}

/** Rows of one request (one per batch item), or why they could not be read. */
export type RequestRows = { rows: CellValue[][]; nonFinite: number } | { error: string };

/** Reads the OIP tensors of a logged body's `inputs` or `outputs`. */
export function loggedTensors(body: unknown, member: 'inputs' | 'outputs'): LoggedTensor[] {
  const list = (body as Record<string, unknown> | null)?.[member];
  if (!Array.isArray(list)) return [];
  return list.flatMap((t) => {
    const tensor = t as { name?: unknown; shape?: unknown; data?: unknown } | null;
    if (typeof tensor?.name !== 'string' || !Array.isArray(tensor.shape)) return [];
    const data = Array.isArray(tensor.data) ? (tensor.data.flat(Number.POSITIVE_INFINITY) as unknown[]) : [];
    return [{ name: tensor.name, shape: tensor.shape.map(Number), data }];
  });
}

/** The number of rows a tensor holds: its first dimension, or 1 for a scalar. */
function batchOf(tensor: LoggedTensor): number {
  return tensor.shape.length === 0 ? 1 : (tensor.shape[0] as number);
}

/** One cell: finite numbers and strings pass; null, NaN and ±Infinity (also as strings) become missing. */
function cell(value: unknown): { value: CellValue; nonFinite: boolean } {
  if (typeof value === 'number')
    return Number.isFinite(value) ? { value, nonFinite: false } : { value: null, nonFinite: true };
  if (value === null || value === undefined) return { value: null, nonFinite: true };
  if (typeof value === 'boolean') return { value: value ? 1 : 0, nonFinite: false };
  const text = String(value);
  if (/^[+-]?(nan|inf|infinity)$/i.test(text)) return { value: null, nonFinite: true };
  return { value: text, nonFinite: false };
}

/** Feature rows of one request body; feature i defaults to column i of the first input tensor. */
export function requestRows(body: unknown, features: readonly FeatureSpecOfMonitor[]): RequestRows {
  const tensors = loggedTensors(body, 'inputs');
  if (tensors.length === 0) return { error: 'request has no input tensors' };
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const columns: unknown[][] = [];
  let rows: number | undefined;
  for (const [i, feature] of features.entries()) {
    const tensor = feature.input === undefined ? tensors[0] : byName.get(feature.input);
    if (!tensor)
      return { error: `request has no input tensor "${feature.input}" (feature "${feature.name}")` };
    const column = columnOf(tensor, feature.index ?? defaultIndex(feature, i, features.length));
    if (typeof column === 'string') return { error: `feature "${feature.name}": ${column}` };
    if (rows !== undefined && column.length !== rows)
      return { error: `feature "${feature.name}" has ${column.length} rows where others have ${rows}` };
    rows = column.length;
    columns.push(column);
  }
  let nonFinite = 0;
  const out: CellValue[][] = Array.from({ length: rows ?? 0 }, (_, r) =>
    columns.map((column) => {
      const c = cell(column[r]);
      if (c.nonFinite) nonFinite++;
      return c.value;
    }),
  );
  return { rows: out, nonFinite };
}

// A feature without input and index is column i of the first input, unless it is the only feature.
function defaultIndex(feature: FeatureSpecOfMonitor, i: number, count: number): number | undefined {
  return feature.input === undefined && count > 1 ? i : undefined;
}

/** Column `index` of a [batch, width] tensor, or the whole tensor (one value per row) without an index. */
function columnOf(tensor: LoggedTensor, index: number | undefined): unknown[] | string {
  const batch = batchOf(tensor);
  if (!(batch >= 0) || !Number.isInteger(batch)) return `tensor "${tensor.name}" has shape [${tensor.shape}]`;
  if (batch === 0) return [];
  const width = tensor.data.length / batch;
  if (!Number.isInteger(width))
    return `tensor "${tensor.name}" holds ${tensor.data.length} values for ${batch} rows`;
  if (index === undefined) {
    if (width !== 1) return `tensor "${tensor.name}" has ${width} values per row: give the feature an index`;
    return tensor.data;
  }
  if (tensor.shape.length === 1) {
    // A 1-D tensor [n] with feature indices is one instance of n features (MLflow / KServe V1 style).
    return index < tensor.data.length
      ? [tensor.data[index]]
      : `column ${index} is out of range (width ${tensor.data.length})`;
  }
  if (index >= width) return `column ${index} is out of range (tensor "${tensor.name}" has width ${width})`;
  return Array.from({ length: batch }, (_, r) => tensor.data[r * width + index]);
}

/** Per-row prediction values of a response body: output `name` (default the first), one or more numbers per row. */
export function responsePredictions(body: unknown, name?: string): number[][] | undefined {
  const tensors = loggedTensors(body, 'outputs');
  const tensor = name === undefined ? tensors[0] : tensors.find((t) => t.name === name);
  if (!tensor) return undefined;
  const batch = batchOf(tensor);
  if (!(batch > 0) || tensor.data.length % batch !== 0) return undefined;
  const width = tensor.data.length / batch;
  const values = tensor.data.map(Number);
  return Array.from({ length: batch }, (_, r) => values.slice(r * width, (r + 1) * width));
}
