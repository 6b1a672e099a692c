/**
 * What a text cell holds. Missing markers follow pandas' default `na_values` (empty, NA, N/A,
 * NULL, null, NaN, nan, None, …), so a profile counts missing values as a pandas user expects.
 */
import type { ColumnType } from './types.js';

const MISSING = new Set(['', 'NA', 'N/A', 'n/a', '#N/A', 'NULL', 'null', 'NaN', 'nan', 'None', '<NA>']);
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export type CellKind = ColumnType | 'missing';

/** The kind of a text cell (int and float cells then read with `Number(text)`). */
export function classifyText(text: string): CellKind {
  if (text.length <= 4 && MISSING.has(text)) return 'missing';
  const first = text.charCodeAt(0);
  // digits, sign or dot: only these can start a number or a date
  if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46) {
    if (INT.test(text)) return 'int';
    if (FLOAT.test(text)) return 'float';
    if (DATETIME.test(text) && !Number.isNaN(Date.parse(text))) return 'datetime';
    return 'string';
  }
  const lower = text.length <= 5 ? text.toLowerCase() : '';
  if (lower === 'true' || lower === 'false') return 'bool';
  return 'string';
}

/**
 * The one type every non-missing value fits: int ⊂ float; otherwise a single kind, and string
 * for any mix. An all-missing column is a string column.
 */
export function inferType(counts: Readonly<Record<ColumnType, number>>): ColumnType {
  const present = (Object.keys(counts) as ColumnType[]).filter((k) => counts[k] > 0);
  if (present.length === 0) return 'string';
  if (present.length === 1) return present[0] as ColumnType;
  if (present.every((k) => k === 'int' || k === 'float')) return 'float';
  return 'string';
}

/** Whether a column of type `actual` conforms to a declared `expected` type. */
export function typeConforms(expected: ColumnType, actual: ColumnType): boolean {
  return expected === actual || expected === 'string' || (expected === 'float' && actual === 'int');
}
