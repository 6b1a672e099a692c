/**
 * Two-sample Kolmogorov–Smirnov test with the semantics of scipy.stats.ks_2samp
 * (`method='auto'`): exact p-value when both samples have at most 10 000 values, otherwise
 * the asymptotic one (two-sided: the one-sample Kolmogorov distribution with
 * n = round(m·n/(m+n)); one-sided: Hodges 1958 eq. 5.3). Ties are allowed; as in scipy the
 * statistic uses right-continuous ECDFs and the p-value the continuous null distribution.
 */
import { invalidArgument } from '../../errors/index.js';
import { kolmogorovSf } from './kolmogorov.js';
import { exactOneSidedProbability, exactTwoSidedProbability, gcd } from './ks-exact.js';
import { roundHalfEven, sortedCopy } from './sorting.js';
import { logGamma } from './special.js';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface KsOptions {
  alternative?: Alternative;
  method?: 'auto' | 'exact' | 'asymp';
}

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
  /** Value at which the ECDF gap is largest. */
  statisticLocation: number;
  /** +1 when the first sample's ECDF is above the second's there, −1 otherwise. */
  statisticSign: 1 | -1;
}

const MAX_AUTO_N = 10000;
const LOG_MAX_DOUBLE = Math.log(Number.MAX_VALUE);

/** Two-sample KS test of `x` against `y`; matches scipy.stats.ks_2samp. */
export function ks2Samp(x: readonly number[], y: readonly number[], options: KsOptions = {}): KsResult {
  return ks2SampSorted(sortedCopy(x, 'x'), sortedCopy(y, 'y'), options);
}

/**
 * {@link ks2Samp} on samples already sorted ascending (as `sortedCopy` returns them), so a reference
 * sorted once serves every window compared with it.
 */
export function ks2SampSorted(a: Float64Array, b: Float64Array, options: KsOptions = {}): KsResult {
  const alternative = options.alternative ?? 'two-sided';
  if (a.length === 0 || b.length === 0) throw invalidArgument('ks2Samp needs two non-empty samples');
  const n1 = a.length;
  const n2 = b.length;

  const { maxS, locMax, minS, locMin } = ecdfGaps(a, b);
  const minGap = Math.min(1, Math.max(0, -minS));
  let d: number;
  let location: number;
  let sign: 1 | -1;
  if (alternative === 'less' || (alternative === 'two-sided' && minGap > maxS)) {
    [d, location, sign] = [minGap, locMin, -1];
  } else {
    [d, location, sign] = [maxS, locMax, 1];
  }

  let method: 'exact' | 'asymp' = options.method === 'asymp' ? 'asymp' : 'exact';
  if ((options.method ?? 'auto') === 'auto') method = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  let pValue = Number.NaN;
  if (method === 'exact') {
    const exact = exactPValue(n1, n2, d, alternative);
    if (exact === undefined) method = 'asymp';
    else [d, pValue] = exact;
  }
  if (method === 'asymp') pValue = asymptoticPValue(n1, n2, d, alternative);
  return {
    statistic: d,
    pValue: Math.min(1, Math.max(0, pValue)),
    method,
    statisticLocation: location,
    statisticSign: sign,
  };
}

/**
 * Largest positive (maxS) and negative (minS) gap cdf1 − cdf2 over all data points, in one merge
 * walk over both sorted samples. Locations follow scipy's argmax over concatenate([x, y]): the
 * smallest value of x reaching the extreme, else the smallest value of y.
 */
function ecdfGaps(a: Float64Array, b: Float64Array) {
  const n1 = a.length;
  const n2 = b.length;
  const best = { maxA: -Infinity, locMaxA: Number.NaN, maxB: -Infinity, locMaxB: Number.NaN };
  const worst = { minA: Infinity, locMinA: Number.NaN, minB: Infinity, locMinB: Number.NaN };
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const inA = i < n1 && a[i] === v;
    const inB = j < n2 && b[j] === v;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (inA && diff > best.maxA) [best.maxA, best.locMaxA] = [diff, v];
    if (inB && diff > best.maxB) [best.maxB, best.locMaxB] = [diff, v];
    if (inA && diff < worst.minA) [worst.minA, worst.locMinA] = [diff, v];
    if (inB && diff < worst.minB) [worst.minB, worst.locMinB] = [diff, v];
  }
  return {
    maxS: Math.max(best.maxA, best.maxB),
    locMax: best.maxA >= best.maxB ? best.locMaxA : best.locMaxB,
    minS: Math.min(worst.minA, worst.minB),
    locMin: worst.minA <= worst.minB ? worst.locMinA : worst.locMinB,
  };
}

/** Exact p-value with D snapped to the lattice; undefined when it cannot be computed in doubles. */
function exactPValue(
  n1: number,
  n2: number,
  d: number,
  alternative: Alternative,
): [number, number] | undefined {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  const snapped = h / lcm;
  if (h === 0) return [snapped, 1];
  if (alternative === 'two-sided') return [snapped, exactTwoSidedProbability(n1, n2, h)];
  // One-sided with unequal sizes: scipy counts paths in doubles and falls back to the
  // asymptotic formula once C(n1+n2, n1) overflows; keep the same switch point.
  if (n1 !== n2) {
    const logBinom = logGamma(n1 + n2 + 1) - logGamma(n1 + 1) - logGamma(n2 + 1);
    if (logBinom >= LOG_MAX_DOUBLE) return undefined;
  }
  // 'less' looks at cdf2 − cdf1: the same problem with the samples swapped.
  const p =
    alternative === 'greater' ? exactOneSidedProbability(n1, n2, h) : exactOneSidedProbability(n2, n1, h);
  return [snapped, p];
}

function asymptoticPValue(n1: number, n2: number, d: number, alternative: Alternative): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  if (alternative === 'two-sided') return kolmogorovSf(roundHalfEven(en), d);
  // Hodges (1958) eq. 5.3, with m the larger sample.
  const z = Math.sqrt(en) * d;
  const expt = -2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3;
  return Math.exp(expt);
}
