/** Validation for numeric row-matrix inputs (multivariate detectors). */
import { invalidArgument } from '../errors/index.js';

/** Checks `rows` is a non-empty array of equal-length finite number rows; returns the width. */
export function checkMatrix(rows: readonly (readonly number[])[], name: string, width?: number): number {
  if (!Array.isArray(rows) || rows.length === 0)
    throw invalidArgument(`${name} must be a non-empty array of rows`);
  const d = width ?? (rows[0] as readonly number[]).length;
  if (d === 0) throw invalidArgument(`${name} rows are empty`);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d)
      throw invalidArgument(`${name} row ${i} does not have ${d} values`);
    for (const v of row) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw invalidArgument(`${name} row ${i} holds a non-finite value`);
    }
  });
  return d;
}

/** Deep copy of a row matrix as plain arrays (for saved state). */
export function copyRows(rows: readonly (readonly number[])[]): number[][] {
  return rows.map((r) => [...r]);
}
