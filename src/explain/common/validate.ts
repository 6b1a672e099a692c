import { invalidArgument } from '../../errors/index.js';

/** Throws INVALID_ARGUMENT unless `rows` is a non-empty rectangular numeric matrix; returns its width. */
export function assertMatrix(name: string, rows: readonly (readonly number[])[], width?: number): number {
  if (!Array.isArray(rows) || rows.length === 0)
    throw invalidArgument(`${name} must be a non-empty array of rows`);
  const first = rows[0];
  if (!Array.isArray(first)) throw invalidArgument(`${name}[0] must be an array of numbers`);
  const cols = width ?? first.length;
  if (cols === 0) throw invalidArgument(`${name} rows must have at least one column`);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length !== cols) {
      throw invalidArgument(`${name}[${i}] must have ${cols} columns`, { row: i });
    }
    for (const v of row) {
      if (typeof v !== 'number') throw invalidArgument(`${name}[${i}] holds a non-number`, { row: i });
    }
  }
  return cols;
}

/** Throws INVALID_ARGUMENT unless `values` is a non-empty array of finite numbers. */
export function assertFiniteVector(name: string, values: readonly number[], length?: number): void {
  if (!Array.isArray(values) || values.length === 0)
    throw invalidArgument(`${name} must be a non-empty array`);
  if (length !== undefined && values.length !== length) {
    throw invalidArgument(`${name} must have length ${length}, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw invalidArgument(`${name}[${i}] must be a finite number`);
  }
}

/** Throws INVALID_ARGUMENT unless the arrays have equal lengths. */
export function assertSameLength(names: readonly string[], arrays: readonly (readonly unknown[])[]): void {
  const n = arrays[0]?.length ?? 0;
  arrays.forEach((a, i) => {
    if (!Array.isArray(a) || a.length !== n) {
      throw invalidArgument(`${names[i]} must have the same length as ${names[0]} (${n})`);
    }
  });
}

/** Normalised non-negative weights (uniform when absent); throws if any is negative or all are zero. */
export function normaliseWeights(name: string, n: number, weights?: readonly number[]): number[] {
  if (weights === undefined) return new Array<number>(n).fill(1 / n);
  assertFiniteVector(name, weights, n);
  let total = 0;
  for (const w of weights) {
    if (w < 0) throw invalidArgument(`${name} must be non-negative`);
    total += w;
  }
  if (total <= 0) throw invalidArgument(`${name} must not all be zero`);
  return weights.map((w) => w / total);
}

/** Throws INVALID_ARGUMENT unless `value` is an integer in [min, max]. */
export function assertInt(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
