import { invalidArgument } from '../../errors/index.js';
import { correlationRatio, cramersV, pearson, spearman } from './correlation.js';
import { type Cell, isMissing } from './labels.js';

/** A tabular dataset as named columns of equal length. */
export type Columns = Record<string, readonly Cell[]>;
export type ColumnKind = 'numeric' | 'categorical';
export type AssociationMeasure = 'pearson' | 'spearman' | 'cramers_v' | 'correlation_ratio';

export interface AssociationOptions {
  /** Measure between two numeric columns (default 'spearman'). */
  numeric?: 'pearson' | 'spearman';
  /** Bergsma's bias correction for Cramer's V (default true). */
  biasCorrection?: boolean;
  /** Numeric columns to treat as categorical (codes, small integer scales). */
  categorical?: string[];
}

/** 'numeric' when every present value is a number, else 'categorical' (strings, booleans, mixtures). */
export function columnKind(values: readonly Cell[]): ColumnKind {
  let sawNumber = false;
  for (const v of values) {
    if (isMissing(v)) continue;
    if (typeof v !== 'number') return 'categorical';
    sawNumber = true;
  }
  return sawNumber ? 'numeric' : 'categorical';
}

/**
 * Association between two columns on a 0..1 scale (|r| for numeric pairs), choosing the measure by
 * kinds: |Pearson| or |Spearman| (numeric-numeric), Cramer's V (categorical-categorical), the
 * correlation ratio eta (numeric-categorical).
 */
export function association(
  x: readonly Cell[],
  y: readonly Cell[],
  kinds: [ColumnKind, ColumnKind],
  options: AssociationOptions = {},
): { measure: AssociationMeasure; value: number; n: number } {
  const [kx, ky] = kinds;
  if (kx === 'numeric' && ky === 'numeric') {
    const measure = options.numeric ?? 'spearman';
    const r = measure === 'pearson' ? pearson(x, y) : spearman(x, y);
    return { measure, value: Math.abs(r.value), n: r.n };
  }
  if (kx === 'categorical' && ky === 'categorical') {
    const r = cramersV(x, y, { biasCorrection: options.biasCorrection ?? true });
    return { measure: 'cramers_v', ...r };
  }
  const r = kx === 'categorical' ? correlationRatio(x, y) : correlationRatio(y, x);
  return { measure: 'correlation_ratio', ...r };
}

/** Symmetric matrix of pairwise associations between all columns (diagonal 1). */
export function associationMatrix(
  columns: Columns,
  options: AssociationOptions = {},
): { names: string[]; values: number[][]; measures: (AssociationMeasure | 'self')[][] } {
  const names = Object.keys(columns);
  if (names.length === 0) throw invalidArgument('no columns given');
  const n = columns[names[0]!]!.length;
  for (const name of names) {
    if (columns[name]!.length !== n) throw invalidArgument(`column '${name}' has a different length`);
  }
  const kinds = kindsOf(columns, options.categorical);
  const values = names.map(() => new Array<number>(names.length).fill(1));
  const measures = names.map(() => new Array<AssociationMeasure | 'self'>(names.length).fill('self'));
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = association(
        columns[names[i]!]!,
        columns[names[j]!]!,
        [kinds[names[i]!]!, kinds[names[j]!]!],
        options,
      );
      values[i]![j] = values[j]![i] = a.value;
      measures[i]![j] = measures[j]![i] = a.measure;
    }
  }
  return { names, values, measures };
}

/** Kind of every column, honouring forced categorical names. */
export function kindsOf(columns: Columns, categorical: string[] = []): Record<string, ColumnKind> {
  const out: Record<string, ColumnKind> = {};
  for (const [name, values] of Object.entries(columns)) {
    out[name] = categorical.includes(name) ? 'categorical' : columnKind(values);
  }
  return out;
}
