/**
 * One-sided Smirnov distribution: P(D⁺_n >= x) for the one-sample statistic
 * D⁺_n = sup (F(t) − F_n(t)), exact by the Birnbaum–Tingey (1951) sum
 *
 *   P(D⁺_n >= x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}.
 *
 * Every term is positive, so summing in log space keeps full relative accuracy in the tail.
 * Above n = 10⁶ the sum is replaced by the approximation exp(−(6nx+1)²/(18n)), as scipy's
 * `smirnov` does (so both agree on which regime they are in).
 */
import { logGamma } from './special.js';

const MAX_EXACT_N = 1_000_000;

/** Survival function of the one-sided one-sample Smirnov statistic D⁺_n at x. */
export function smirnovSf(n: number, x: number): number {
  if (!(x > 0)) return 1;
  if (x >= 1) return 0;
  const nx = n * x;
  // For x <= 1/n the complementary (upper) Birnbaum–Tingey sum has a single term:
  // P(D⁺_n < x) = x (1 + x)^{n−1}.
  if (nx <= 1) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * nx * x < -708.4) return 0;
  if (nx >= n - 1) return (1 - x) ** n;
  if (n > MAX_EXACT_N) {
    const logp = -((6 * nx + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  const last = Math.floor(n - nx);
  let logBinom = 0; // log C(n, v), built up term by term
  let sum = 0;
  let peaked = false;
  let previous = 0;
  for (let v = 0; v <= last; v++) {
    if (v > 0) logBinom += Math.log((n - v + 1) / v);
    const a = x + v / n;
    const rest = 1 - a;
    if (rest <= 0) break;
    const logTerm = logBinom + (v - 1) * Math.log(a) + (n - v) * Math.log1p(-a);
    const term = Math.exp(logTerm);
    sum += term;
    if (term < previous) peaked = true;
    previous = term;
    // Terms fall off geometrically once past the peak; stop when the rest cannot matter.
    if (peaked && term * (last - v) < 1e-17 * sum) break;
  }
  return Math.min(1, Math.max(0, x * sum));
}

/** log(n!/nⁿ), for the Ruben–Gambino edge of the two-sided distribution. */
export function logFactorialOverPower(n: number): number {
  return logGamma(n + 1) - n * Math.log(n);
}
