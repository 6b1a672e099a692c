/**
 * Two-sided one-sample Kolmogorov distribution P(D_n >= x) (scipy's `kstwo.sf(x, n)`),
 * following the method selection of Simard & L'Ecuyer, "Computing the two-sided
 * Kolmogorov-Smirnov distribution", J. Stat. Software 39(11), 2011:
 *
 * - Ruben–Gambino closed forms at the edges (x <= 1/n, x >= 1 − 1/n);
 * - 2·Smirnov one-sided when the two tails cannot overlap (x >= 1/2) or far in the tail;
 * - the exact Durbin matrix (Marsaglia, Tsang & Wang 2003) for small n·x²;
 * - the Pelz–Good (1976) asymptotic series elsewhere for n > 140.
 *
 * The regime boundaries are the ones scipy uses, so the two agree to rounding.
 */
import { durbinMatrixCdf } from './durbin-matrix.js';
import { logFactorialOverPower, smirnovSf } from './smirnov.js';

const clip = (p: number): number => Math.min(1, Math.max(0, p));

/** P(D_n >= x) for the two-sided one-sample Kolmogorov–Smirnov statistic with sample size n. */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben & Gambino (1982): P(D_n < x) = n!/nⁿ (2t − 1)ⁿ for 1/(2n) <= x <= 1/n.
    if (t <= 0.5) return 1;
    const cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxx = t * x;
  if (n <= 140) {
    if (nxx <= 4) return clip(1 - durbinMatrixCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? durbinMatrixCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/**
 * Pelz & Good (1976) expansion P(D_n <= x) ≈ K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^{3/2},
 * z = x√n, in the small-z (Jacobi theta) form of Simard & L'Ecuyer (2011), eq. (8)–(11).
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const logq = -pi2 / 8 / z2;
  if (logq < -708) return 0;
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const terms = Math.ceil((16 * z) / Math.PI);
  // Sums over odd m = 2k − 1 of polynomial(m²) · exp(−π² m² / (8 z²)).
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 1; k <= terms; k++) {
    const m2 = (2 * k - 1) ** 2;
    const e = Math.exp(logq * m2);
    if (e === 0) break;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    s0 += e;
    s1 += (-z2 + (pi2 * m2) / 4) * e;
    s2 += (6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * pi2 * m2) / 4 + (pi4 * (1 - 2 * z2) * m4) / 16) * e;
    s3 +=
      (-30 * z6 -
        90 * z6 * z2 +
        (pi2 * (135 * z4 - 96 * z6) * m2) / 4 +
        (pi4 * (-60 * z2 + 212 * z4) * m4) / 16 +
        (pi6 * (5 - 30 * z2) * m6) / 64) *
      e;
  }
  const k0 = (sqrt2pi * s0) / z;
  let k1 = (sqrt2pi * s1) / (6 * z4);
  let k2 = (sqrt2pi * s2) / (72 * z6 * z);
  let k3 = (sqrt2pi * s3) / (6480 * z6 * z4);
  // Sums over all integers k of polynomial(k²) · exp(−π² k² / (2 z²)).
  let e2 = 0;
  let e3 = 0;
  for (let k = 1; k <= terms; k++) {
    const k2sq = k * k;
    const e = Math.exp((-pi2 * k2sq) / 2 / z2);
    if (e === 0) break;
    e2 += k2sq * e;
    e3 += (3 * z2 - pi2 * k2sq) * k2sq * e;
  }
  k2 += (pi2 * sqrt2pi * e2) / (-36 * z2 * z);
  k3 += (pi2 * sqrt2pi * e3) / (216 * z6);
  k1 /= Math.sqrt(n);
  k2 /= n;
  k3 /= n * Math.sqrt(n);
  return k0 + k1 + k2 + k3;
}
