/**
 * Value counts in bounded memory. Counts are exact while a column has at most `capacity`
 * distinct values. Past that it becomes a Misra–Gries summary (Misra & Gries 1982, with batch
 * decrements as in Berinde et al., "Space-optimal heavy hitters with strong error bounds",
 * 2010): whenever the table overflows, the count of the (k+1)-th most frequent entry
 * (k = summaryCapacity/2) is subtracted from every entry and entries at zero are dropped. Each
 * decrement of c removes at least c·(k+1) from a total of n, so every reported count is an
 * under-estimate by at most n/(k+1) (`maxError`), and every value more frequent than that is kept.
 */
export class FrequentValues {
  private readonly counts = new Map<string, number>();
  private decremented = 0;
  private exactSoFar = true;

  /**
   * @param capacity distinct values counted exactly
   * @param summaryCapacity entries kept once approximate (fewer: a small table is faster, and
   *   only values more frequent than n/(summaryCapacity/2+1) are worth reporting then)
   */
  constructor(
    readonly capacity = 10_000,
    readonly summaryCapacity = Math.min(capacity, 1_000),
  ) {}

  /** True while every count is exact (no decrement has happened). */
  get exact(): boolean {
    return this.exactSoFar;
  }

  /** Distinct values tracked; the exact distinct count while `exact`. */
  get size(): number {
    return this.counts.size;
  }

  /** Upper bound on how much any reported count falls short of the true count. */
  get maxError(): number {
    return this.decremented;
  }

  /** The tracked values (all distinct values seen, while `exact`). */
  keys(): IterableIterator<string> {
    return this.counts.keys();
  }

  /**
   * Counts `value`; returns false when this call made the summary approximate, so a caller
   * can hand the exact distinct values to a distinct-count sketch first. The overflowing
   * table is reduced on the next add, after the caller has seen it.
   */
  add(value: string): boolean {
    if (this.counts.size > (this.exactSoFar ? this.capacity : this.summaryCapacity)) this.reduce();
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    if (this.exactSoFar && this.counts.size > this.capacity) {
      this.exactSoFar = false;
      return false;
    }
    return true;
  }

  /** The `limit` most frequent values, most frequent first (ties by value). */
  top(limit: number): { value: string; count: number }[] {
    return [...this.counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, limit);
  }

  private reduce(): void {
    const k = Math.floor(this.summaryCapacity / 2);
    const sorted = Float64Array.from(this.counts.values()).sort().reverse();
    const cut = sorted[k] ?? 0;
    if (cut <= 0) return;
    this.decremented += cut;
    for (const [value, count] of this.counts) {
      if (count <= cut) this.counts.delete(value);
      else this.counts.set(value, count - cut);
    }
  }
}
