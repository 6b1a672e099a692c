/** The shapes of a data profile: plain JSON, written by `osprey data profile -o`. */

/** Column types a profile infers and a schema declares. */
export const COLUMN_TYPES = ['int', 'float', 'bool', 'datetime', 'string'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface Histogram {
  /** Bin edges: the first bin is [e0, e1], the others (e_{i−1}, e_i]. */
  edges: number[];
  counts: number[];
  /** Values below the first edge and above the last (non-zero only with another profile's edges). */
  below: number;
  above: number;
}

export interface NumericStats {
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (ddof = 0). */
  std: number;
  quantiles: { q: number; value: number }[];
  /** True when computed from every value; false when from the KLL sketch. */
  quantilesExact: boolean;
}

export interface DistinctCount {
  value: number;
  /** True when counted exactly; false when estimated by HyperLogLog. */
  exact: boolean;
  /** Relative standard error of the estimate (0 when exact). */
  standardError: number;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Non-missing values. */
  count: number;
  missing: number;
  missingFraction: number;
  /** How many non-missing values parse as each type. */
  typeCounts: Record<ColumnType, number>;
  distinct: DistinctCount;
  /** Most frequent values, most frequent first; counts exact when `topValuesExact`. */
  topValues: { value: string; count: number }[];
  topValuesExact: boolean;
  /** int and float columns. */
  numeric?: NumericStats;
  histogram?: Histogram;
  /** datetime columns: ISO 8601 bounds. */
  datetime?: { min: string; max: string };
}

export interface DatasetProfile {
  format: 'osprey.profile/v1';
  source: { path: string; format: DataFormat; bytes: number };
  rows: number;
  columns: ColumnProfile[];
}

export type DataFormat = 'csv' | 'parquet';
