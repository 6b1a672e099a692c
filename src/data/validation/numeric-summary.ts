/**
 * Streaming summary of a numeric column: count, min, max, mean and standard deviation
 * (Welford's update, numerically stable in one pass), and quantiles and histograms that are
 * exact while the column holds at most `exactLimit` values and come from a KLL sketch beyond.
 * Memory stays bounded: the exact buffer is dropped when the sketch takes over.
 */
import { lowerBound, quantileSorted, upperBound } from '../../monitoring/index.js';
import type { Rng } from '../../random/index.js';
import { KllSketch } from './kll-sketch.js';
import type { Histogram, NumericStats } from './types.js';

export const QUANTILE_LEVELS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export class NumericSummary {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private buffer: Float64Array | undefined;
  private sketch: KllSketch | undefined;
  private sorted: Float64Array | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly exactLimit: number,
  ) {
    this.buffer = new Float64Array(Math.min(exactLimit, 1024));
  }

  get count(): number {
    return this.n;
  }

  add(x: number): void {
    this.n += 1;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (this.sketch !== undefined) this.sketch.update(x);
    else this.store(x);
  }

  /** Statistics with quantiles at `QUANTILE_LEVELS` (undefined for an empty column). */
  stats(): NumericStats | undefined {
    if (this.n === 0) return undefined;
    const exact = this.sketch === undefined;
    const values = exact
      ? QUANTILE_LEVELS.map((q) => quantileSorted(this.sortedValues(), q))
      : (this.sketch as KllSketch).quantiles(QUANTILE_LEVELS);
    return {
      min: this.min,
      max: this.max,
      mean: this.mean,
      // population standard deviation (ddof = 0), as numpy.std and TFDV's std_dev
      std: Math.sqrt(this.m2 / this.n),
      quantiles: QUANTILE_LEVELS.map((q, i) => ({ q, value: values[i] as number })),
      quantilesExact: exact,
    };
  }

  /**
   * Counts in bins between `edges` (first bin [e0, e1], the others (e_{i−1}, e_i]), plus the
   * values below e0 and above the last edge. Exact or from the sketch, like the quantiles.
   * Without edges: `bins` equal-width bins over [min, max].
   */
  histogram(bins: number, edges?: readonly number[]): Histogram | undefined {
    if (this.n === 0) return undefined;
    const cuts = edges ?? equalWidthEdges(this.min, this.max, bins);
    const atOrBelow = (x: number) => this.countAtOrBelow(x);
    const first = cuts[0] as number;
    const below = this.countBelow(first);
    const counts: number[] = [];
    let previous = below;
    for (let i = 1; i < cuts.length; i++) {
      const upTo = atOrBelow(cuts[i] as number);
      counts.push(Math.max(0, upTo - previous));
      previous = upTo;
    }
    return { edges: [...cuts], counts, below, above: Math.max(0, this.n - previous) };
  }

  private countAtOrBelow(x: number): number {
    if (this.sketch !== undefined) return this.sketch.rank(x);
    return upperBound(this.sortedValues(), x);
  }

  private countBelow(x: number): number {
    if (this.sketch !== undefined) return this.sketch.rankBelow(x);
    return lowerBound(this.sortedValues(), x);
  }

  private store(x: number): void {
    let buffer = this.buffer as Float64Array;
    const i = this.n - 1;
    if (i >= this.exactLimit) {
      this.switchToSketch(x);
      return;
    }
    if (i >= buffer.length) {
      const grown = new Float64Array(Math.min(this.exactLimit, buffer.length * 2));
      grown.set(buffer);
      buffer = grown;
      this.buffer = grown;
    }
    buffer[i] = x;
    this.sorted = undefined;
  }

  private switchToSketch(x: number): void {
    const sketch = new KllSketch(this.rng);
    for (const v of this.buffer as Float64Array) sketch.update(v);
    sketch.update(x);
    this.sketch = sketch;
    this.buffer = undefined;
    this.sorted = undefined;
  }

  private sortedValues(): Float64Array {
    this.sorted ??= (this.buffer as Float64Array).slice(0, this.n).sort();
    return this.sorted;
  }
}

function equalWidthEdges(min: number, max: number, bins: number): number[] {
  if (min === max) return [min, max];
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins }, (_, i) => min + i * width);
  edges.push(max);
  return edges;
}
