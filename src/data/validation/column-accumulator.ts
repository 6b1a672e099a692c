/**
 * Everything a profile says about one column, accumulated one value at a time in bounded
 * memory: type counts, missing values, a numeric summary (exact, then KLL), value frequencies
 * (exact, then Misra–Gries) and distinct values (exact, then HyperLogLog).
 */
import type { Rng } from '../../random/index.js';
import { type CellKind, classifyText, inferType } from './cell-kind.js';
import { FrequentValues } from './frequent-values.js';
import { HyperLogLog } from './hyperloglog.js';
import { NumericSummary } from './numeric-summary.js';
import type { ColumnProfile, ColumnType } from './types.js';

export interface AccumulatorLimits {
  /** Values kept per column for exact quantiles before the KLL sketch takes over. */
  exactQuantileLimit: number;
  /** Distinct values counted exactly per column before HyperLogLog and Misra–Gries take over. */
  exactDistinctLimit: number;
  /** Top values reported. */
  topValues: number;
  /** Equal-width histogram bins. */
  histogramBins: number;
}

export class ColumnAccumulator {
  private missing = 0;
  private readonly typeCounts: Record<ColumnType, number> = {
    int: 0,
    float: 0,
    bool: 0,
    datetime: 0,
    string: 0,
  };
  private readonly numbers: NumericSummary;
  private readonly frequencies: FrequentValues;
  private hll: HyperLogLog | undefined;
  private minTime = Number.POSITIVE_INFINITY;
  private maxTime = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    rng: Rng,
    private readonly limits: AccumulatorLimits,
  ) {
    this.numbers = new NumericSummary(rng, limits.exactQuantileLimit);
    this.frequencies = new FrequentValues(limits.exactDistinctLimit);
  }

  /** A text cell (CSV): its kind is inferred from its spelling. */
  addText(text: string): void {
    const kind = classifyText(text);
    this.add(kind, text, kind === 'int' || kind === 'float' ? Number(text) : undefined);
  }

  /** A typed value (Parquet) of a column whose declared type is `type`. */
  addValue(value: unknown, type: ColumnType): void {
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)))
      this.add('missing', '');
    else if (type === 'int' || type === 'float') this.add(type, String(value), Number(value));
    else if (type === 'datetime' && value instanceof Date) this.add(type, value.toISOString());
    else
      this.add(type === 'datetime' ? 'string' : type, typeof value === 'string' ? value : stringify(value));
  }

  profile(rows: number, histogramEdges?: readonly number[]): ColumnProfile {
    const type = inferType(this.typeCounts);
    const count = rows - this.missing;
    const numeric = type === 'int' || type === 'float';
    const exactDistinct = this.frequencies.exact;
    const distinct = exactDistinct
      ? { value: this.frequencies.size, exact: true, standardError: 0 }
      : {
          value: Math.round((this.hll as HyperLogLog).estimate()),
          exact: false,
          standardError: (this.hll as HyperLogLog).standardError,
        };
    return {
      name: this.name,
      type,
      count,
      missing: this.missing,
      missingFraction: rows === 0 ? 0 : this.missing / rows,
      typeCounts: { ...this.typeCounts },
      distinct,
      topValues: this.frequencies.top(this.limits.topValues),
      topValuesExact: exactDistinct,
      ...(numeric && this.numbers.count > 0
        ? {
            numeric: this.numbers.stats(),
            histogram: this.numbers.histogram(this.limits.histogramBins, histogramEdges),
          }
        : {}),
      ...(type === 'datetime' && count > 0
        ? {
            datetime: {
              min: new Date(this.minTime).toISOString(),
              max: new Date(this.maxTime).toISOString(),
            },
          }
        : {}),
    };
  }

  private add(kind: CellKind, key: string, number?: number): void {
    if (kind === 'missing') {
      this.missing += 1;
      return;
    }
    this.typeCounts[kind] += 1;
    if (number !== undefined) this.numbers.add(number);
    else if (kind === 'datetime') this.addTime(Date.parse(key));
    if (this.hll !== undefined) this.hll.add(key);
    if (!this.frequencies.add(key)) this.startDistinctSketch();
  }

  /** Distinct counting moves to HyperLogLog; it is idempotent, so the distinct values so far are all it needs. */
  private startDistinctSketch(): void {
    const hll = new HyperLogLog();
    for (const key of this.frequencies.keys()) hll.add(key);
    this.hll = hll;
  }

  private addTime(ms: number): void {
    if (ms < this.minTime) this.minTime = ms;
    if (ms > this.maxTime) this.maxTime = ms;
  }
}

function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
}
