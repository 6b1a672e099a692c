/** Small sorting and searching helpers shared by the rank-based tests. */
import { invalidArgument } from '../../errors/index.js';

/** Ascending copy of `values`; throws INVALID_ARGUMENT on NaN or ±Infinity. */
export function sortedCopy(values: readonly number[], name = 'sample'): Float64Array {
  const out = Float64Array.from(values);
  for (const v of out) {
    if (!Number.isFinite(v)) throw invalidArgument(`${name} contains a non-finite value (${v})`);
  }
  return out.sort();
}

/** Number of elements of sorted `a` that are <= v (numpy searchsorted side='right'). */
export function upperBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of sorted `a` that are < v (numpy searchsorted side='left'). */
export function lowerBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Round half to even, as numpy's `np.round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Average ranks (1-based, ties get the mean rank) of `values`, as scipy.stats.rankdata. */
export function averageRanks(values: readonly number[]): Float64Array {
  const order = Array.from(values.keys()).sort((i, j) => (values[i] as number) - (values[j] as number));
  const ranks = new Float64Array(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1] as number] === values[order[start] as number])
      end++;
    const rank = (start + end + 2) / 2;
    for (let k = start; k <= end; k++) ranks[order[k] as number] = rank;
    start = end + 1;
  }
  return ranks;
}
