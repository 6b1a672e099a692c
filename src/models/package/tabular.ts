import { invalidArgument } from '../../errors/index.js';

/** Rows as records (`[{ a: 1, b: 2 }]`) or split into columns and data (`{ columns, data }`). */
export type TabularInput = Record<string, unknown>[] | { columns: string[]; data: unknown[][] };

/** A table in one shape: column names, and each row's values in column order. */
export interface Table {
  columns: string[];
  rows: unknown[][];
}

/** True when `value` is a list of plain records or a `{ columns, data }` object. */
export function isTabular(value: unknown): value is TabularInput {
  if (Array.isArray(value)) return value.every(isRecord);
  return isRecord(value) && Array.isArray(value.columns) && Array.isArray(value.data);
}

/**
 * Brings either tabular form to `{ columns, rows }`. Records may omit keys (read as undefined);
 * columns are ordered by first appearance. INVALID_ARGUMENT for anything that is not a table.
 */
export function normalizeTable(input: unknown): Table {
  if (Array.isArray(input)) {
    const columns: string[] = [];
    const seen = new Set<string>();
    input.forEach((row, i) => {
      if (!isRecord(row)) throw invalidArgument(`row ${i} must be an object of column values`);
      for (const key of Object.keys(row)) {
        if (!seen.has(key)) {
          seen.add(key);
          columns.push(key);
        }
      }
    });
    const rows = input.map((row) => columns.map((c) => (row as Record<string, unknown>)[c]));
    return { columns, rows };
  }
  if (isRecord(input) && Array.isArray(input.columns) && Array.isArray(input.data)) {
    const columns = input.columns as unknown[];
    if (!columns.every((c): c is string => typeof c === 'string')) {
      throw invalidArgument('columns must be a list of strings');
    }
    const rows = (input.data as unknown[]).map((row, i) => {
      if (!Array.isArray(row) || row.length !== columns.length) {
        throw invalidArgument(`data row ${i} must be a list of ${columns.length} values (one per column)`);
      }
      return row as unknown[];
    });
    return { columns: [...columns], rows };
  }
  throw invalidArgument('tabular input must be a list of records or { columns, data }');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
