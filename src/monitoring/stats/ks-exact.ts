/**
 * Exact null distribution of the two-sample Kolmogorov–Smirnov statistic by lattice paths.
 *
 * Under H0 (continuous data) the merged order of the two samples is a uniformly random
 * monotone lattice path from (0,0) to (m,n): step right for an x, up for a y. After i x's and
 * j y's the ECDF gap is i/m − j/n = (i·n' − j·m')/L with g = gcd(m,n), m' = m/g, n' = n/g and
 * L = lcm(m,n). The observed D is rounded to the lattice, h = round(D·L), and
 *   p = P(max over the path of |i·n' − j·m'| >= h)      (two-sided),
 *   p = P(max over the path of  (i·n' − j·m') >= h)     (one-sided).
 *
 * Counting paths overflows quickly, so we propagate probabilities instead (Hodges 1958 §2;
 * Viehmann, arXiv:2102.08037): with r(i,j) the share of paths to (i,j) that have already
 * reached the boundary, r = 1 on the boundary and r(i,j) = (i·r(i−1,j) + j·r(i,j−1))/(i+j)
 * inside, because i/(i+j) of the paths into (i,j) arrive from the left. Only a band of j
 * per column is inside, so the work is O(m · band) rather than O(m·n).
 */

/** gcd of two positive integers. */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * P(path leaves the band) for the two-sided statistic: the share of lattice paths with
 * max |i·n' − j·m'| >= h. Symmetric in (m, n).
 */
export function exactTwoSidedProbability(m: number, n: number, h: number): number {
  if (h <= 0) return 1;
  if (m === n) return equalSizesTwoSided(n, h);
  return bandExitProbability(m, n, h, true);
}

/** P(max (i·n' − j·m') >= h): the one-sided ('greater') statistic for sample sizes m (x) and n (y). */
export function exactOneSidedProbability(m: number, n: number, h: number): number {
  if (h <= 0) return 1;
  if (m === n) {
    // Reflection principle: C(2n, n − h)/C(2n, n) = Π_{j<h} (n − j)/(n + j + 1).
    let p = 1;
    for (let j = 0; j < h; j++) p *= (n - j) / (n + j + 1);
    return p;
  }
  return bandExitProbability(m, n, h, false);
}

/**
 * m = n: by repeated reflection (Gnedenko & Korolyuk 1951),
 *   P(D >= h/n) = 2 Σ_{k>=1} (−1)^{k−1} C(2n, n − kh) / C(2n, n),
 * evaluated innermost-first as 2·A1(1 − A2(1 − A3(…))) with A_k = C(2n,n−kh)/C(2n,n−(k−1)h),
 * which avoids the cancellation of the alternating sum.
 */
function equalSizesTwoSided(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 1; k--) {
    // A_k = Π_{j<h} (n − k·h + 1 + j ... ) written as the ratio of consecutive binomials.
    let a = 1;
    for (let j = 0; j < h; j++) a *= (n - k * h + 1 + j) / (n + (k - 1) * h + 1 + j);
    p = a * (1 - p);
  }
  return Math.min(1, 2 * p);
}

function bandExitProbability(m: number, n: number, h: number, twoSided: boolean): number {
  const g = gcd(m, n);
  const mp = m / g;
  const np = n / g;
  // The path point (i, j) is on/over the boundary when i·n' − j·m' >= h, or (two-sided) <= −h.
  // For column i the inside j satisfy (i·n' − h)/m' < j < (i·n' + h)/m' (two-sided upper edge).
  const lower = (i: number): number => Math.max(0, Math.floor((i * np - h) / mp) + 1);
  const upper = (i: number): number => (twoSided ? Math.min(n, Math.ceil((i * np + h) / mp) - 1) : n);
  const r = new Float64Array(n + 1).fill(1);
  let lo = lower(0);
  let hi = upper(0);
  for (let j = lo; j <= hi; j++) r[j] = 0;
  for (let i = 1; i <= m; i++) {
    const newLo = lower(i);
    const newHi = upper(i);
    if (newLo > newHi) return 1;
    // Cells that were inside in column i−1 but are below the band now sit on the boundary.
    for (let j = lo; j < Math.min(newLo, hi + 1); j++) r[j] = 1;
    for (let j = newLo; j <= newHi; j++) {
      // r[j] still holds column i−1 (or 1 if it was outside there), r[j−1] already column i.
      const left = r[j] as number;
      const below = j > 0 ? (r[j - 1] as number) : 0;
      r[j] = (i * left + j * below) / (i + j);
    }
    lo = newLo;
    hi = newHi;
  }
  return r[n] as number;
}
