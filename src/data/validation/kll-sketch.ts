/**
 * KLL quantile sketch (Karnin, Lang & Liberty, "Optimal Quantile Approximation in Streams",
 * FOCS 2016): a stack of compactors whose capacities shrink geometrically (factor 2/3) from
 * the top level down. A full compactor sorts its items, keeps every other one (a random
 * offset) at twice the weight in the level above, and so stays within a fixed memory of about
 * 3·k numbers whatever the stream length. With k = 400 the normalised rank error is about 0.5%
 * (Apache DataSketches measures 1.33% at 99% confidence for k = 200, shrinking as 1/k); the
 * error is random but unbiased and the test suite checks ≤ 1% on a million values.
 */
import type { Rng } from '../../random/index.js';

const SHRINK = 2 / 3;
/** Smallest compactor, as DataSketches' m = 8: tiny low levels would compact (and sort) on almost every update. */
const MIN_CAPACITY = 8;

/** A bounded-memory summary of a stream of numbers answering rank and quantile queries. */
export class KllSketch {
  private readonly levels: number[][] = [[]];
  private retained = 0;
  private capacityTotal: number;
  private seen = 0;

  constructor(
    private readonly rng: Rng,
    readonly k = 400,
  ) {
    this.capacityTotal = this.capacity(0);
  }

  /** Number of values fed in. */
  get count(): number {
    return this.seen;
  }

  /** Number of values kept (the memory in use). */
  get size(): number {
    return this.retained;
  }

  update(value: number): void {
    (this.levels[0] as number[]).push(value);
    this.seen += 1;
    this.retained += 1;
    if (this.retained >= this.capacityTotal) this.compress();
  }

  /** Estimated number of values ≤ x. */
  rank(x: number): number {
    let r = 0;
    for (let h = 0; h < this.levels.length; h++) {
      const weight = 2 ** h;
      for (const v of this.levels[h] as number[]) if (v <= x) r += weight;
    }
    return r;
  }

  /** Estimated number of values < x. */
  rankBelow(x: number): number {
    let r = 0;
    for (let h = 0; h < this.levels.length; h++) {
      const weight = 2 ** h;
      for (const v of this.levels[h] as number[]) if (v < x) r += weight;
    }
    return r;
  }

  /** Estimated q-quantiles (the smallest retained value whose cumulative weight reaches q·n). */
  quantiles(levels: readonly number[]): number[] {
    const items: { v: number; w: number }[] = [];
    this.levels.forEach((level, h) => {
      for (const v of level) items.push({ v, w: 2 ** h });
    });
    items.sort((a, b) => a.v - b.v);
    const total = items.reduce((s, it) => s + it.w, 0);
    return levels.map((q) => {
      const target = q * total;
      let cumulative = 0;
      for (const it of items) {
        cumulative += it.w;
        if (cumulative >= target) return it.v;
      }
      return (items[items.length - 1] as { v: number }).v;
    });
  }

  private capacity(h: number): number {
    const depth = this.levels.length - 1 - h;
    return Math.max(MIN_CAPACITY, Math.ceil(this.k * SHRINK ** depth));
  }

  /** Compacts the lowest full level (lazy compaction keeps the error of the eager scheme). */
  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      const level = this.levels[h] as number[];
      if (level.length < this.capacity(h)) continue;
      if (h + 1 === this.levels.length) this.levels.push([]);
      // a typed array sorts numerically without a comparator call per pair
      const sorted = Float64Array.from(level).sort();
      // an odd item stays behind so the total weight is preserved exactly
      const even = sorted.length - (sorted.length % 2);
      const offset = this.rng.int(2);
      const above = this.levels[h + 1] as number[];
      for (let i = offset; i < even; i += 2) above.push(sorted[i] as number);
      level.length = 0;
      if (even < sorted.length) level.push(sorted[even] as number);
      break;
    }
    this.retained = this.levels.reduce((s, l) => s + l.length, 0);
    this.capacityTotal = this.levels.reduce((s, _l, h) => s + this.capacity(h), 0);
  }
}
