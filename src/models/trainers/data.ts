import { invalidArgument } from '../../errors/index.js';

/** Feature rows as trainers accept them: N rows of F numbers each. */
export type FeatureRows = readonly ArrayLike<number>[];

/** Row-major copy of validated feature rows. */
export interface Design {
  data: Float64Array;
  n: number;
  f: number;
}

/** Validates rows (non-empty, rectangular, finite) and copies them row-major. */
export function toDesign(rows: FeatureRows, expectedFeatures?: number): Design {
  if (!Array.isArray(rows) || rows.length === 0) throw invalidArgument('X must be a non-empty array of rows');
  const f = rows[0]!.length;
  if (f === 0) throw invalidArgument('X rows must have at least one feature');
  if (expectedFeatures !== undefined && f !== expectedFeatures) {
    throw invalidArgument(`X has ${f} features, the model was trained on ${expectedFeatures}`);
  }
  const data = new Float64Array(rows.length * f);
  rows.forEach((row, i) => {
    if (row.length !== f) throw invalidArgument(`X row ${i} has ${row.length} features, expected ${f}`);
    for (let j = 0; j < f; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw invalidArgument(`X[${i}][${j}] must be a finite number, got ${v}`);
      data[i * f + j] = v;
    }
  });
  return { data, n: rows.length, f };
}

/** Validates regression targets (finite, one per row). */
export function toTargets(y: ArrayLike<number>, n: number): Float64Array {
  if (y.length !== n) throw invalidArgument(`y has ${y.length} values, X has ${n} rows`);
  const out = Float64Array.from(y);
  out.forEach((v, i) => {
    if (!Number.isFinite(v)) throw invalidArgument(`y[${i}] must be a finite number, got ${v}`);
  });
  return out;
}

/** Integer class labels mapped to indices into the sorted distinct labels. */
export interface EncodedLabels {
  classes: number[];
  index: Int32Array;
}

/** Validates integer class labels (at least two distinct) and encodes them as class indices. */
export function encodeLabels(y: ArrayLike<number>, n: number): EncodedLabels {
  if (y.length !== n) throw invalidArgument(`y has ${y.length} labels, X has ${n} rows`);
  const distinct = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (!Number.isSafeInteger(y[i]))
      throw invalidArgument(`y[${i}] must be an integer class label, got ${y[i]}`);
    distinct.add(y[i]!);
  }
  if (distinct.size < 2) throw invalidArgument('classification needs at least two distinct labels in y');
  const classes = [...distinct].sort((a, b) => a - b);
  const position = new Map(classes.map((c, i) => [c, i]));
  return { classes, index: Int32Array.from({ length: n }, (_, i) => position.get(y[i]!)!) };
}

/** Index of the largest value (first one on ties, like numpy.argmax and ONNX ArgMax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Validates an optional positive integer option. */
export function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) || v === Number.POSITIVE_INFINITY) || v < 1) {
    throw invalidArgument(`${name} must be a positive integer, got ${v}`);
  }
  return v;
}

/** Validates an optional positive number option. */
export function positiveNumber(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw invalidArgument(`${name} must be a positive number, got ${v}`);
  return v;
}
