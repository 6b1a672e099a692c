/**
 * Pearson's chi-squared test of independence on an r×c table of counts, with the semantics of
 * scipy.stats.chi2_contingency (defaults): expected counts from the margins, dof = (r−1)(c−1),
 * Yates' continuity correction when dof = 1 (each |observed − expected| shrunk by at most 0.5),
 * statistic 0 and p = 1 when dof = 0.
 */
import { invalidArgument } from '../../errors/index.js';
import { chi2Sf } from './special.js';

export interface Chi2ContingencyOptions {
  /** Apply Yates' correction when dof = 1 (default true, as scipy). */
  correction?: boolean;
}

export interface Chi2ContingencyResult {
  statistic: number;
  pValue: number;
  dof: number;
  expected: number[][];
}

/** Chi-squared test of independence on `table` (rows × columns of non-negative counts). */
export function chi2Contingency(
  table: readonly (readonly number[])[],
  options: Chi2ContingencyOptions = {},
): Chi2ContingencyResult {
  const r = table.length;
  const c = table[0]?.length ?? 0;
  if (r === 0 || c === 0) throw invalidArgument('chi2Contingency needs a non-empty table');
  const rowSums = new Array<number>(r).fill(0);
  const colSums = new Array<number>(c).fill(0);
  table.forEach((row, i) => {
    if (row.length !== c) throw invalidArgument('chi2Contingency needs a rectangular table');
    row.forEach((v, j) => {
      if (!Number.isFinite(v) || v < 0)
        throw invalidArgument(`table[${i}][${j}] is not a non-negative count (${v})`);
      rowSums[i] = (rowSums[i] as number) + v;
      colSums[j] = (colSums[j] as number) + v;
    });
  });
  const total = rowSums.reduce((a, b) => a + b, 0);
  if (rowSums.some((s) => s === 0) || colSums.some((s) => s === 0)) {
    throw invalidArgument('chi2Contingency: a row or column sums to zero, so an expected count is zero');
  }
  const expected = rowSums.map((rs) => colSums.map((cs) => (rs * cs) / total));
  const dof = (r - 1) * (c - 1);
  if (dof === 0) return { statistic: 0, pValue: 1, dof, expected };
  const yates = dof === 1 && (options.correction ?? true);
  let statistic = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const e = (expected[i] as number[])[j] as number;
      let o = (table[i] as readonly number[])[j] as number;
      if (yates) {
        const diff = e - o;
        o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += ((o - e) * (o - e)) / e;
    }
  }
  return { statistic, pValue: chi2Sf(statistic, dof), dof, expected };
}
