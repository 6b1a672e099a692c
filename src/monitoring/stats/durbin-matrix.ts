/**
 * Exact two-sided Kolmogorov cdf P(D_n < d) by Durbin's matrix method as given by
 * Marsaglia, Tsang & Wang, "Evaluating Kolmogorov's distribution", J. Stat. Software 8(18), 2003.
 *
 * Write n·d = k − h with k a positive integer and 0 <= h < 1, m = 2k − 1. With the m×m matrix
 *   H[i][j] = 1/(i − j + 1)!  for i − j + 1 >= 0, else 0,
 * corrected in its first column and last row by h-powers, P(D_n < d) = n!/nⁿ · (Hⁿ)[k−1][k−1].
 * Powers are taken by repeated squaring with a separate binary exponent so nothing overflows.
 */

type Scaled = { m: Float64Array; exp: number };

function multiply(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let l = 0; l < size; l++) {
      const ail = a[i * size + l] as number;
      if (ail === 0) continue;
      const rowB = l * size;
      const rowO = i * size;
      for (let j = 0; j < size; j++)
        out[rowO + j] = (out[rowO + j] as number) + ail * (b[rowB + j] as number);
    }
  }
  return out;
}

/** Rescales so the entry at `pivot` stays near 1; the scale goes into the exponent. */
function normalise(s: Scaled, pivot: number): void {
  const v = Math.abs(s.m[pivot] as number);
  if (v > 2 ** 128 || (v > 0 && v < 2 ** -128)) {
    const e = Math.floor(Math.log2(v));
    const f = 2 ** -e;
    for (let i = 0; i < s.m.length; i++) s.m[i] = (s.m[i] as number) * f;
    s.exp += e;
  }
}

/** P(D_n < d) for the two-sided one-sample KS statistic, exact (Durbin 1968; MTW 2003). */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const invFact = new Float64Array(m + 1);
  invFact[0] = 1;
  for (let j = 1; j <= m; j++) invFact[j] = (invFact[j - 1] as number) / j;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const p = i - j + 1;
      if (p >= 0) H[i * m + j] = invFact[p] as number;
    }
  }
  // First column and last row: subtract h^{i+1}/(i+1)! (MTW eq. for the boundary cells).
  for (let i = 0; i < m; i++) {
    const corr = h ** (i + 1) * (invFact[i + 1] as number);
    H[i * m] = (H[i * m] as number) - corr;
    H[(m - 1) * m + (m - 1 - i)] = (H[(m - 1) * m + (m - 1 - i)] as number) - corr;
  }
  // The corner was corrected twice; add back (2h − 1)^m / m! when 2h − 1 > 0.
  if (2 * h - 1 > 0) H[(m - 1) * m] = (H[(m - 1) * m] as number) + (2 * h - 1) ** m * (invFact[m] as number);

  const pivot = (k - 1) * m + (k - 1);
  let base: Scaled = { m: H, exp: 0 };
  let acc: Scaled | undefined;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      acc =
        acc === undefined
          ? { m: base.m.slice(), exp: base.exp }
          : { m: multiply(acc.m, base.m, m), exp: acc.exp + base.exp };
      normalise(acc, pivot);
    }
    if (e > 1) {
      base = { m: multiply(base.m, base.m, m), exp: 2 * base.exp };
      normalise(base, pivot);
    }
  }
  if (acc === undefined) return 0;
  // Multiply by n!/nⁿ in steps, keeping the mantissa in range.
  let p = acc.m[pivot] as number;
  let exp = acc.exp;
  for (let i = 1; i <= n; i++) {
    p = (p * i) / n;
    if (Math.abs(p) < 2 ** -128) {
      p *= 2 ** 128;
      exp -= 128;
    }
  }
  const half = Math.trunc(exp / 2);
  return Math.min(1, Math.max(0, p * 2 ** half * 2 ** (exp - half)));
}
