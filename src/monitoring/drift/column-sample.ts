/** One side (reference or current) of a feature, summarised for the univariate tests. */
import { invalidArgument } from '../../errors/index.js';
import { sortedCopy } from '../stats/index.js';
import { type Category, type ColumnType, countCategories } from './columns.js';

export interface ColumnSample {
  type: ColumnType;
  /** Number of non-missing values. */
  size: number;
  /** The values of a numerical column (empty for categorical columns). */
  numbers: readonly number[];
  /** The numbers sorted ascending; computed on first use and kept, so a fitted reference sorts once. */
  readonly sorted: Float64Array;
  /** Counts per category (for numerical columns: per distinct number); computed on first use. */
  readonly counts: ReadonlyMap<Category, number>;
}

/** Builds a sample from non-missing values; a numerical column must hold only numbers. */
export function columnSample(type: ColumnType, values: readonly Category[], name: string): ColumnSample {
  if (type === 'numerical' && values.some((v) => typeof v !== 'number')) {
    throw invalidArgument(`feature "${name}" is numerical but holds non-numeric values`);
  }
  const numbers = type === 'numerical' ? (values as number[]) : [];
  let sorted: Float64Array | undefined;
  let counts: ReadonlyMap<Category, number> | undefined;
  return {
    type,
    size: values.length,
    numbers,
    get sorted() {
      sorted ??= sortedCopy(numbers, name);
      return sorted;
    },
    get counts() {
      counts ??= countCategories(values);
      return counts;
    },
  };
}

/** Builds a categorical sample from stored counts (a saved reference). */
export function sampleFromCounts(counts: readonly (readonly [Category, number])[]): ColumnSample {
  const map = new Map<Category, number>(counts.map(([k, v]) => [k, v]));
  let size = 0;
  for (const v of map.values()) size += v;
  return { type: 'categorical', size, numbers: [], sorted: new Float64Array(0), counts: map };
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
