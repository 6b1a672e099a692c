/** One side (reference or current) of a feature, summarised for the univariate tests. */
import { invalidArgument } from '../../errors/index.js';
import { type Category, type ColumnType, countCategories } from './columns.js';

export interface ColumnSample {
  type: ColumnType;
  /** Number of non-missing values. */
  size: number;
  /** The values of a numerical column (empty for categorical columns). */
  numbers: readonly number[];
  /** Counts per category (for numerical columns: per distinct number). */
  counts: ReadonlyMap<Category, number>;
}

/** Builds a sample from non-missing values; a numerical column must hold only numbers. */
export function columnSample(type: ColumnType, values: readonly Category[], name: string): ColumnSample {
  if (type === 'numerical' && values.some((v) => typeof v !== 'number')) {
    throw invalidArgument(`feature "${name}" is numerical but holds non-numeric values`);
  }
  return {
    type,
    size: values.length,
    numbers: type === 'numerical' ? (values as number[]) : [],
    counts: countCategories(values),
  };
}

/** Builds a categorical sample from stored counts (a saved reference). */
export function sampleFromCounts(counts: readonly (readonly [Category, number])[]): ColumnSample {
  const map = new Map<Category, number>(counts.map(([k, v]) => [k, v]));
  let size = 0;
  for (const v of map.values()) size += v;
  return { type: 'categorical', size, numbers: [], counts: map };
}

/** The numbers of a numerical sample. */
export function numbersOf(sample: ColumnSample): number[] {
  return sample.numbers as number[];
}

/** Distinct values over both samples (Evidently's `n_values` = nunique of reference ∪ current). */
export function distinctCount(a: ColumnSample, b: ColumnSample): number {
  const all = new Set<Category>(a.counts.keys());
  for (const k of b.counts.keys()) all.add(k);
  return all.size;
}
