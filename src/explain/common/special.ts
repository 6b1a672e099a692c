/*
 * Special functions for p-values: log-gamma and the regularised incomplete gamma function, as in
 * Numerical Recipes (3rd ed., sec. 6.1-6.2): series for x < a + 1, Lentz continued fraction otherwise.
 */

// Numerical Recipes' Lanczos coefficients, written at double precision.
const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-5,
  4.652362892704858e-5, -9.837447530487956e-5, 1.580887032249125e-4, -2.1026444172410488e-4,
  2.1743961811521265e-4, -1.643181065367639e-4, 8.441822398385275e-5, -2.6190838401581408e-5,
  3.6899182659531625e-6,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 607/128; relative error below 1e-15). */
export function logGamma(x: number): number {
  let y = x;
  const tmp = x + 5.2421875;
  const t = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.9999999999999971;
  for (const c of LANCZOS) ser += c / ++y;
  return t + Math.log((Math.sqrt(2 * Math.PI) * ser) / x);
}

/** Regularised upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a). */
export function gammaQ(a: number, x: number): number {
  if (x < 0 || a <= 0) return Number.NaN;
  if (x === 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQContinuedFraction(a, x);
}

function gammaPSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < 10_000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaQContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Survival function of the chi-squared distribution with `dof` degrees of freedom. */
export function chiSquareSf(x: number, dof: number): number {
  if (dof <= 0) return Number.NaN;
  if (x <= 0) return 1;
  return gammaQ(dof / 2, x / 2);
}
