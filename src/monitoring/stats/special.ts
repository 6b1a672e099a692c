/**
 * Special functions the tests need, with the tail accuracy p-values require
 * (survival functions are computed directly, never as 1 - cdf).
 */
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';

/** log Γ(x) (stdlib, a port of Boost's lgamma). */
export function logGamma(x: number): number {
  return gammaln(x);
}

/** Chi-squared survival function P(X > x), X ~ χ²(dof): the regularised upper incomplete gamma Q(dof/2, x/2). */
export function chi2Sf(x: number, dof: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return gammainc(x / 2, dof / 2, true, true);
}

/** Standard normal survival function P(Z > z) = erfc(z/√2)/2, accurate far into the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Standard normal cdf P(Z <= z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * e^{-x} K_ν(x) for x > 0, the modified Bessel function of the second kind scaled down by
 * e^{-x}. From the integral K_ν(x) = ∫₀^∞ exp(−x cosh t) cosh(νt) dt (DLMF 10.32.9) by the
 * trapezoidal rule, which converges geometrically for this analytic, doubly-exponentially
 * decaying integrand (Trefethen & Weideman, SIAM Review 56, 2014). The step shrinks like
 * 1/√x so the peak at t = 0 stays resolved for large x.
 */
export function besselKScaledDown(nu: number, x: number): number {
  if (!(x > 0)) return Number.POSITIVE_INFINITY;
  const h = Math.min(0.1, 0.5 / Math.sqrt(x));
  // Integrand of e^{-x} K_ν(x): exp(−x(1 + cosh t)) cosh(νt).
  const f = (t: number): number => Math.exp(-x * (1 + Math.cosh(t))) * Math.cosh(nu * t);
  let sum = 0.5 * f(0);
  for (let k = 1; k < 100000; k++) {
    const term = f(k * h);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return sum * h;
}
