/** Arithmetic mean (NaN for an empty array). */
export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Standard deviation with `ddof` degrees of freedom removed (0 = population, as numpy's default). */
export function std(values: readonly number[], ddof = 0): number {
  const mu = mean(values);
  let s = 0;
  for (const v of values) s += (v - mu) ** 2;
  return Math.sqrt(s / (values.length - ddof));
}

/** Quantile by linear interpolation between order statistics (numpy.percentile's default, type 7). */
export function quantileLinear(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * scipy.stats.mstats.mquantiles with plotting positions (alphap, betap), default (0.4, 0.4) as
 * sklearn's partial-dependence grid uses: m = a + p(1 - a - b), j = floor(np + m) clipped to
 * [1, n-1], g = np + m - j clipped to [0, 1], Q = (1 - g) x_(j) + g x_(j+1) (1-based order stats).
 */
export function mquantile(sorted: readonly number[], p: number, alphap = 0.4, betap = 0.4): number {
  const n = sorted.length;
  const m = alphap + p * (1 - alphap - betap);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * sorted[k - 1]! + gamma * sorted[k]!;
}

/** Ascending copy. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Sorted distinct values. */
export function uniqueSorted(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** numpy.linspace(start, stop, num) with the endpoint included. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : start + i * step));
}

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata 'average'). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]!] = r;
    i = j + 1;
  }
  return ranks;
}
