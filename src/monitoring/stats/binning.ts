/**
 * Binning for histogram-based drift scores (PSI, Jensen–Shannon). The binning is part of the
 * result (users could not tell what Evidently's `n_bins` did, EV #1400), so each function
 * returns its edges.
 *
 * - `reference-quantile`: k bins cut at the reference's i/k quantiles (numpy's default linear
 *   interpolation), outer bins open to ±∞, duplicate edges merged. Each reference bin holds
 *   about 1/k of the reference, and values outside the reference range still land in a bin.
 *   Intervals are closed on the right: (e_{i−1}, e_i].
 * - `sturges`: numpy.histogram_bin_edges(reference ∪ current, bins='sturges'), equal-width over
 *   the pooled range with the last bin closed — Evidently's choice for numerical columns.
 */
import { invalidArgument } from '../../errors/index.js';
import { quantileSorted } from './quantile.js';
import { sortedCopy, upperBound } from './sorting.js';

export type Binning = { kind: 'reference-quantile'; bins?: number } | { kind: 'sturges' };

export interface BinnedCounts {
  /** Inner edges (reference-quantile) or all edges (sturges). */
  edges: number[];
  reference: number[];
  current: number[];
}

/** Counts of `reference` and `current` in bins chosen by `binning`. */
export function binCounts(
  reference: readonly number[],
  current: readonly number[],
  binning: Binning,
): BinnedCounts {
  if (reference.length === 0 || current.length === 0)
    throw invalidArgument('binning needs two non-empty samples');
  return binning.kind === 'sturges'
    ? sturgesCounts(reference, current)
    : quantileCounts(reference, current, binning.bins ?? 10);
}

/** Inner edges at the reference quantiles i/k, i = 1..k−1, duplicates removed. */
export function referenceQuantileEdges(reference: readonly number[], bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1)
    throw invalidArgument(`bins must be a positive integer, got ${bins}`);
  const sorted = sortedCopy(reference, 'reference');
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const e = quantileSorted(sorted, i / bins);
    if (edges.length === 0 || e > (edges[edges.length - 1] as number)) edges.push(e);
  }
  return edges;
}

/** Counts per bin (e_{i−1}, e_i] given inner edges (outer bins unbounded). */
export function countWithInnerEdges(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    // number of edges strictly below v = index of the bin (e_{i−1}, e_i] holding v
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}

function quantileCounts(
  reference: readonly number[],
  current: readonly number[],
  bins: number,
): BinnedCounts {
  const edges = referenceQuantileEdges(reference, bins);
  return {
    edges,
    reference: countWithInnerEdges(reference, edges),
    current: countWithInnerEdges(current, edges),
  };
}

/** numpy.histogram_bin_edges(data, 'sturges'): width = range/(log2 n + 1), ceil(range/width) bins. */
export function sturgesEdges(data: readonly number[]): number[] {
  const sorted = sortedCopy(data, 'data');
  let first = sorted[0] as number;
  let last = sorted[sorted.length - 1] as number;
  const width = (last - first) / (Math.log2(sorted.length) + 1);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const nBins = width > 0 ? Math.ceil((last - first) / width) : 1;
  // numpy uses linspace(first, last, nBins + 1)
  const step = (last - first) / nBins;
  return Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? last : first + i * step));
}

/** numpy.histogram counts for `values` with `edges` (half-open bins, the last one closed). */
export function histogramCounts(values: readonly number[], edges: readonly number[]): number[] {
  const nBins = edges.length - 1;
  const counts = new Array<number>(nBins).fill(0);
  const first = edges[0] as number;
  const last = edges[nBins] as number;
  for (const v of values) {
    if (v < first || v > last) continue;
    let bin = upperBound(edges, v) - 1;
    if (bin >= nBins) bin = nBins - 1;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

function sturgesCounts(reference: readonly number[], current: readonly number[]): BinnedCounts {
  const edges = sturgesEdges([...reference, ...current]);
  return { edges, reference: histogramCounts(reference, edges), current: histogramCounts(current, edges) };
}

/**
 * Shares from counts with Evidently's zero fill (`feel_zeroes`): empty bins get `epsilon`
 * (1e-4), or min-non-zero-share / 10⁶ when the smallest non-zero share is already <= 1e-4,
 * so ln(r/c) stays finite. Shares are not renormalised afterwards (Evidently does not either).
 */
export function binShares(counts: readonly number[], epsilon = 1e-4): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) throw invalidArgument('cannot take shares of an empty histogram');
  const shares = counts.map((c) => c / total);
  const nonZero = shares.filter((s) => s > 0);
  const minNonZero = Math.min(...nonZero);
  const fill = minNonZero <= epsilon ? minNonZero / 1e6 : epsilon;
  return shares.map((s) => (s === 0 ? fill : s));
}
