/**
 * Limiting distribution of the one-sample Cramér–von Mises statistic ω² (n → ∞), by the series
 * of Csörgő & Faraway, "The exact and asymptotic distributions of Cramér-von Mises
 * statistics", JRSS B 58(1), 1996, eq. (1.3):
 *
 *   F(x) = 1/(π √x) Σ_{k>=0} Γ(k+½)/(Γ(½) k!) · √(4k+1) · exp(−q_k) K_{1/4}(q_k),
 *   q_k = (4k+1)²/(16x),
 *
 * written with Γ(k+½)/(Γ(½)k!) = Γ(k+½)/(π^{1/2} Γ(k+1)). Terms are added until one is below
 * 1e-7, the stopping rule scipy uses, so both truncate the series at the same term.
 */
import { besselKScaledDown } from './special.js';

/** cdf of the limiting Cramér–von Mises distribution at x > 0. */
export function cvmLimitCdf(x: number): number {
  if (!(x > 0)) return 0;
  let total = 0;
  // ratio = Γ(k + ½)/Γ(k + 1), updated by the recurrence ratio_{k+1} = ratio_k (k + ½)/(k + 1).
  let ratio = Math.sqrt(Math.PI);
  const prefactor = 1 / (Math.PI ** 1.5 * Math.sqrt(x));
  for (let k = 0; k < 100000; k++) {
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = ratio * prefactor * Math.sqrt(y) * besselKScaledDown(0.25, q);
    total += term;
    if (Math.abs(term) < 1e-7) break;
    ratio *= (k + 0.5) / (k + 1);
  }
  return total;
}
