/**
 * Exact null distribution of the two-sample Cramér–von Mises statistic by enumerating lattice
 * paths (Xiao, Gordon & Yakovlev, "A C++ program for the Cramér-von Mises two-sample test",
 * J. Stat. Software 17(8), 2006; Anderson 1962).
 *
 * With L = lcm(m,n), a = L/m, b = L/n, a merged ordering is a path through (i, j) (i x's and
 * j y's seen). Anderson's T equals m·n/(N²L²) · ζ with ζ = Σ over the path of (a·i − b·j)².
 * Each lattice cell keeps a table value → number of paths reaching it with that partial ζ;
 * the p-value is the share of the C(m+n, m) paths whose ζ reaches the observed one.
 */

import { gcd } from './ks-exact.js';

/** P(ζ >= ζ_obs) given U (Anderson's eq. 10) and sample sizes m, n. */
export function cvmExactSf(u: number, m: number, n: number): number {
  const g = gcd(m, n);
  const lcm = (m / g) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  // ζ from U: combine T = U/(mnN) − (4mn−1)/(6N) with T = mn ζ/(N² L²). Floor, as ζ of any
  // path is an integer (mid-ranks under ties can give a non-integer observed value).
  const zeta = Math.floor((lcm * lcm * (m + n) * (6 * u - mn * (4 * mn - 1))) / (6 * mn * mn));

  // column[i] is the table of cell (i, j) for the current j (y count); tables are kept sorted by
  // value, so combining the two incoming tables is a linear merge.
  let column: Table[] = new Array(m + 1);
  column[0] = { v: Float64Array.of(0), c: Float64Array.of(1) };
  for (let i = 1; i <= m; i++) column[i] = mergeShift(column[i - 1] as Table, EMPTY, (a * i) ** 2);
  for (let j = 1; j <= n; j++) {
    const next: Table[] = new Array(m + 1);
    for (let i = 0; i <= m; i++) {
      next[i] = mergeShift(column[i] as Table, i > 0 ? (next[i - 1] as Table) : EMPTY, (a * i - b * j) ** 2);
    }
    column = next;
  }
  const last = column[m] as Table;
  let hits = 0;
  let total = 0;
  for (let k = 0; k < last.v.length; k++) {
    total += last.c[k] as number;
    if ((last.v[k] as number) >= zeta) hits += last.c[k] as number;
  }
  return hits / total;
}

/** Values (ascending) and their path counts. */
interface Table {
  v: Float64Array;
  c: Float64Array;
}

const EMPTY: Table = { v: new Float64Array(0), c: new Float64Array(0) };

/** Merges two sorted tables (summing counts of equal values) and adds `shift` to every value. */
function mergeShift(x: Table, y: Table, shift: number): Table {
  const v = new Float64Array(x.v.length + y.v.length);
  const c = new Float64Array(v.length);
  let i = 0;
  let k = 0;
  let out = 0;
  while (i < x.v.length || k < y.v.length) {
    const xv = i < x.v.length ? (x.v[i] as number) : Number.POSITIVE_INFINITY;
    const yv = k < y.v.length ? (y.v[k] as number) : Number.POSITIVE_INFINITY;
    if (xv === yv) {
      v[out] = xv + shift;
      c[out++] = (x.c[i++] as number) + (y.c[k++] as number);
    } else if (xv < yv) {
      v[out] = xv + shift;
      c[out++] = x.c[i++] as number;
    } else {
      v[out] = yv + shift;
      c[out++] = y.c[k++] as number;
    }
  }
  return { v: v.subarray(0, out), c: c.subarray(0, out) };
}
