import { invalidArgument } from '../../errors/index.js';
import { chiSquareSf } from '../common/special.js';
import { averageRanks } from '../common/stats.js';
import { type Cell, isMissing, type Label } from './labels.js';

/** A correlation with the number of complete pairs it used. */
export interface Correlation {
  value: number;
  n: number;
}

// Pairs where both values are present (pairwise-complete, as pandas' corr).
function completePairs(x: readonly Cell[], y: readonly Cell[]): [number[], number[]] {
  if (x.length !== y.length) throw invalidArgument(`columns differ in length (${x.length} vs ${y.length})`);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (isMissing(u) || isMissing(v)) continue;
    if (typeof u !== 'number' || typeof v !== 'number')
      throw invalidArgument('correlation needs numeric columns');
    a.push(u);
    b.push(v);
  }
  return [a, b];
}

function pearsonOf(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 2) return Number.NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  // A constant column has no defined correlation (scipy returns nan too).
  if (saa === 0 || sbb === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/** Pearson's r over pairwise-complete observations (NaN when a column is constant). */
export function pearson(x: readonly Cell[], y: readonly Cell[]): Correlation {
  const [a, b] = completePairs(x, y);
  return { value: pearsonOf(a, b), n: a.length };
}

/** Spearman's rho: Pearson's r of the ranks, ties given their average rank (scipy.stats.spearmanr). */
export function spearman(x: readonly Cell[], y: readonly Cell[]): Correlation {
  const [a, b] = completePairs(x, y);
  return { value: pearsonOf(averageRanks(a), averageRanks(b)), n: a.length };
}

/** A contingency table of two categorical columns (rows = x categories, columns = y categories). */
export interface Contingency {
  rowLabels: Label[];
  colLabels: Label[];
  counts: number[][];
  n: number;
}

/** Cross-tabulates two columns, skipping rows where either value is missing. */
export function contingencyTable(x: readonly Cell[], y: readonly Cell[]): Contingency {
  if (x.length !== y.length) throw invalidArgument(`columns differ in length (${x.length} vs ${y.length})`);
  const rows = new Map<Label, number>();
  const cols = new Map<Label, number>();
  const cells: [number, number][] = [];
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (isMissing(u) || isMissing(v)) continue;
    if (!rows.has(u)) rows.set(u, rows.size);
    if (!cols.has(v)) cols.set(v, cols.size);
    cells.push([rows.get(u)!, cols.get(v)!]);
  }
  const counts = Array.from({ length: rows.size }, () => new Array<number>(cols.size).fill(0));
  for (const [r, c] of cells) counts[r]![c]!++;
  return { rowLabels: [...rows.keys()], colLabels: [...cols.keys()], counts, n: cells.length };
}

/** Pearson's chi-squared test of independence on a contingency table (no continuity correction). */
export function chiSquareIndependence(t: Contingency): { statistic: number; dof: number; pValue: number } {
  const r = t.rowLabels.length;
  const c = t.colLabels.length;
  const rowSums = t.counts.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: c }, (_, j) => t.counts.reduce((a, row) => a + row[j]!, 0));
  let stat = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const e = (rowSums[i]! * colSums[j]!) / t.n;
      if (e > 0) stat += (t.counts[i]![j]! - e) ** 2 / e;
    }
  }
  const dof = (r - 1) * (c - 1);
  return { statistic: stat, dof, pValue: dof > 0 ? chiSquareSf(stat, dof) : Number.NaN };
}

/**
 * Cramer's V = sqrt(chi2 / n / min(r-1, c-1)) (Cramer 1946; scipy.stats.contingency.association
 * method='cramer'), or with `biasCorrection` Bergsma's (2013, J. Korean Stat. Soc. 42) corrected
 * V~ = sqrt(max(0, phi2 - (r-1)(c-1)/(n-1)) / min(r~-1, c~-1)), r~ = r - (r-1)^2/(n-1).
 * NaN when either column has a single category.
 */
export function cramersV(
  x: readonly Cell[],
  y: readonly Cell[],
  options: { biasCorrection?: boolean } = {},
): Correlation {
  const t = contingencyTable(x, y);
  const r = t.rowLabels.length;
  const c = t.colLabels.length;
  if (r < 2 || c < 2 || t.n < 2) return { value: Number.NaN, n: t.n };
  const phi2 = chiSquareIndependence(t).statistic / t.n;
  if (!options.biasCorrection) return { value: Math.sqrt(phi2 / Math.min(r - 1, c - 1)), n: t.n };
  const phi2c = Math.max(0, phi2 - ((r - 1) * (c - 1)) / (t.n - 1));
  const rc = r - (r - 1) ** 2 / (t.n - 1);
  const cc = c - (c - 1) ** 2 / (t.n - 1);
  const denom = Math.min(rc - 1, cc - 1);
  return { value: denom > 0 ? Math.sqrt(phi2c / denom) : Number.NaN, n: t.n };
}

/**
 * Correlation ratio eta = sqrt(SS_between / SS_total) of a numeric column across the categories of
 * another (Pearson 1905): 0 when the category says nothing about the mean, 1 when it fixes the value.
 */
export function correlationRatio(categories: readonly Cell[], values: readonly Cell[]): Correlation {
  if (categories.length !== values.length) throw invalidArgument('columns differ in length');
  const groups = new Map<Label, { sum: number; count: number }>();
  const kept: [Label, number][] = [];
  for (let i = 0; i < values.length; i++) {
    const g = categories[i];
    const v = values[i];
    if (isMissing(g) || isMissing(v)) continue;
    if (typeof v !== 'number') throw invalidArgument('correlation ratio needs a numeric value column');
    kept.push([g, v]);
    const s = groups.get(g) ?? { sum: 0, count: 0 };
    s.sum += v;
    s.count++;
    groups.set(g, s);
  }
  const n = kept.length;
  const grand = kept.reduce((a, [, v]) => a + v, 0) / n;
  let total = 0;
  for (const [, v] of kept) total += (v - grand) ** 2;
  let between = 0;
  for (const s of groups.values()) between += s.count * (s.sum / s.count - grand) ** 2;
  return { value: total > 0 ? Math.sqrt(between / total) : Number.NaN, n };
}
