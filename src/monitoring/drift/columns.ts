/**
 * Turns the accepted tabular inputs (rows as arrays, rows as records, or columns) into named
 * columns of non-missing values, and infers column types the way Evidently does (numbers →
 * numerical, anything else → categorical).
 */
import { invalidArgument } from '../../errors/index.js';
import type { CellValue, ColumnarData, TabularInput } from '../types.js';

export type ColumnType = 'numerical' | 'categorical';

/** A category value once missing values are gone. */
export type Category = number | string | boolean;

export interface Columns {
  names: string[];
  /** Number of rows, counting rows with missing values. */
  rows: number;
  values: Map<string, CellValue[]>;
}

/** True for null, undefined and NaN. */
export function isMissing(v: CellValue): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** Normalises any TabularInput to named columns; `featureNames` names array rows (default "0", "1", ...). */
export function toColumns(input: TabularInput, featureNames?: readonly string[]): Columns {
  if (Array.isArray(input)) {
    const rows = input as readonly unknown[];
    if (rows.length === 0) throw invalidArgument('tabular input has no rows');
    const first = rows[0];
    if (Array.isArray(first)) return fromArrayRows(rows as readonly (readonly CellValue[])[], featureNames);
    return fromRecordRows(rows as readonly Readonly<Record<string, CellValue>>[]);
  }
  if (input === null || typeof input !== 'object')
    throw invalidArgument('tabular input must be rows or columns');
  return fromColumnar(input as ColumnarData);
}

function fromArrayRows(rows: readonly (readonly CellValue[])[], featureNames?: readonly string[]): Columns {
  const width = (rows[0] as readonly CellValue[]).length;
  const names = featureNames ? [...featureNames] : Array.from({ length: width }, (_, i) => String(i));
  if (names.length !== width)
    throw invalidArgument(`rows have ${width} values but ${names.length} feature names were given`);
  const values = new Map<string, CellValue[]>(names.map((n) => [n, []]));
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== width)
      throw invalidArgument(`row ${r} does not have ${width} values`);
    names.forEach((name, j) => {
      values.get(name)?.push(row[j]);
    });
  });
  return { names, rows: rows.length, values };
}

function fromRecordRows(rows: readonly Readonly<Record<string, CellValue>>[]): Columns {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw invalidArgument('rows must be all arrays or all records');
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  const values = new Map<string, CellValue[]>(names.map((n) => [n, rows.map((row) => row[n])]));
  return { names, rows: rows.length, values };
}

function fromColumnar(data: ColumnarData): Columns {
  const names = Object.keys(data);
  if (names.length === 0) throw invalidArgument('tabular input has no columns');
  const rows = (data[names[0] as string] ?? []).length;
  const values = new Map<string, CellValue[]>();
  for (const name of names) {
    const column = data[name];
    if (!Array.isArray(column) || column.length !== rows)
      throw invalidArgument(`column "${name}" must be an array of ${rows} values`);
    values.set(name, [...column]);
  }
  if (rows === 0) throw invalidArgument('tabular input has no rows');
  return { names, rows, values };
}

/** Non-missing values of a column, checked for supported types. */
export function presentValues(column: readonly CellValue[], name: string): Category[] {
  const out: Category[] = [];
  for (const v of column) {
    if (isMissing(v)) continue;
    const t = typeof v;
    if (t !== 'number' && t !== 'string' && t !== 'boolean')
      throw invalidArgument(`column "${name}" holds an unsupported value`);
    if (t === 'number' && !Number.isFinite(v)) throw invalidArgument(`column "${name}" holds ${v}`);
    out.push(v as Category);
  }
  return out;
}

/** Evidently's rule: a column of numbers is numerical, anything else categorical. */
export function inferColumnType(values: readonly Category[]): ColumnType {
  return values.every((v) => typeof v === 'number') ? 'numerical' : 'categorical';
}

/** Counts per category, in first-seen order. */
export function countCategories(values: readonly Category[]): Map<Category, number> {
  const counts = new Map<Category, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Stable order of categories for tables and output: numbers ascending, then strings, then booleans. */
export function sortCategories(categories: Iterable<Category>): Category[] {
  const rank = (v: Category): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  return [...categories].sort((a, b) => {
    const d = rank(a) - rank(b);
    if (d !== 0) return d;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  });
}
