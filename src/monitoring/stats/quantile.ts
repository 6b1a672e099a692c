/** Quantiles and medians (numpy's default linear interpolation, "type 7"). */
import { invalidArgument } from '../../errors/index.js';
import { sortedCopy } from './sorting.js';

/** q-quantile of an ascending array, linear interpolation between order statistics (numpy default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw invalidArgument('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw invalidArgument(`quantile level must be in [0, 1], got ${q}`);
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  // numpy's _lerp: interpolate from the nearer end, which keeps the result monotone in q.
  if (frac === 0) return a;
  return frac >= 0.5 ? b - (b - a) * (1 - frac) : a + (b - a) * frac;
}

/** q-quantile of `values` (numpy.quantile, linear). */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(sortedCopy(values), q);
}

/** Median of `values`. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
