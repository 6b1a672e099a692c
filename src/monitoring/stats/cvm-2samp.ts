/**
 * Two-sample Cramér–von Mises test (Anderson 1962) with the semantics of
 * scipy.stats.cramervonmises_2samp: T from mid-ranks, exact p-value when both samples have
 * at most 20 values (method 'auto'), otherwise the normalised statistic referred to the
 * limiting one-sample distribution (Csörgő & Faraway 1996, eq. 1.2).
 */
import { invalidArgument } from '../../errors/index.js';
import { cvmExactSf } from './cvm-exact.js';
import { cvmLimitCdf } from './cvm-limit.js';
import { gcd } from './ks-exact.js';
import { averageRanks } from './sorting.js';

const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;

export interface CvmOptions {
  method?: 'auto' | 'exact' | 'asymptotic';
}

export interface CvmResult {
  /** Anderson's T = U/(mn(m+n)) − (4mn − 1)/(6(m+n)). */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

const MAX_AUTO_N = 20;
/**
 * The exact enumeration's cost grows with lcm(m, n)·(m + n) (the number of distinct path
 * values); beyond this bound an explicit 'exact' request is refused (about 0.5 s at the bound).
 */
const MAX_EXACT_WORK = 40000;

/** Two-sample Cramér–von Mises test; matches scipy.stats.cramervonmises_2samp. */
export function cramerVonMises2Samp(
  x: readonly number[],
  y: readonly number[],
  options: CvmOptions = {},
): CvmResult {
  const nx = x.length;
  const ny = y.length;
  if (nx < 2 || ny < 2) throw invalidArgument('cramerVonMises2Samp needs at least two values in each sample');
  for (const v of [...x, ...y]) {
    if (!Number.isFinite(v)) throw invalidArgument(`cramerVonMises2Samp got a non-finite value (${v})`);
  }
  let method = options.method ?? 'auto';
  if (method === 'auto') method = Math.max(nx, ny) > MAX_AUTO_N ? 'asymptotic' : 'exact';
  if (method === 'exact' && Math.max(nx, ny) > MAX_AUTO_N && lcm(nx, ny) * (nx + ny) > MAX_EXACT_WORK) {
    throw invalidArgument(
      `exact Cramér–von Mises p-value too costly for sizes ${nx} and ${ny}; use 'asymptotic'`,
    );
  }
  const xs = [...x].sort((a, b) => a - b);
  const ys = [...y].sort((a, b) => a - b);
  const ranks = averageRanks([...xs, ...ys]);
  // U = nx Σ (r(x_i) − i)² + ny Σ (r(y_j) − j)²   (Anderson 1962, eq. 10)
  let sx = 0;
  for (let i = 0; i < nx; i++) sx += ((ranks[i] as number) - (i + 1)) ** 2;
  let sy = 0;
  for (let j = 0; j < ny; j++) sy += ((ranks[nx + j] as number) - (j + 1)) ** 2;
  const u = nx * sx + ny * sy;
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);

  if (method === 'exact') return { statistic: t, pValue: cvmExactSf(u, nx, ny), method };
  // Mean and variance of T (Anderson 1962, eqs. 11 and 14) and the normalised statistic (eq. 15).
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * N * N * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  // Below 0.003 the limiting cdf is < 1.3e-18: the p-value is 1 to double precision.
  const pValue = tn < 0.003 ? 1 : Math.max(0, 1 - cvmLimitCdf(tn));
  return { statistic: t, pValue, method };
}
