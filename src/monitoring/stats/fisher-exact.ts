/**
 * Fisher's exact test on a 2×2 table [[a, b], [c, d]] with the semantics of
 * scipy.stats.fisher_exact: conditional on the margins, a is hypergeometric; the two-sided
 * p-value sums the probabilities of all tables no more likely than the observed one (with a
 * relative tolerance of 1e-14 for ties, as scipy); 'less' / 'greater' are the lower / upper tails
 * of a. The sample odds ratio is ad/(bc) (Infinity when bc = 0 < ad).
 *
 * Probabilities are built from ratios of consecutive hypergeometric terms, normalised at the
 * end, so no factorial is ever formed.
 */
import { invalidArgument } from '../../errors/index.js';
import type { Alternative } from './ks-2samp.js';

export interface FisherResult {
  /** Sample odds ratio; 1 (not NaN) when a row or column is empty. */
  oddsRatio: number;
  pValue: number;
}

const RELATIVE_TIE = 1e-14;

/** Fisher's exact test of a 2×2 table `[[a, b], [c, d]]`; matches scipy.stats.fisher_exact. */
export function fisherExact(
  table: readonly (readonly number[])[],
  alternative: Alternative = 'two-sided',
): FisherResult {
  const [a, b, c, d] = [table[0]?.[0], table[0]?.[1], table[1]?.[0], table[1]?.[1]];
  const cells = [a, b, c, d];
  if (table.length !== 2 || table.some((row) => row.length !== 2))
    throw invalidArgument('fisherExact needs a 2x2 table');
  if (!cells.every((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    throw invalidArgument('fisherExact needs non-negative integer counts');
  }
  const [x, n1Other, y, n2Other] = cells as [number, number, number, number];
  const row1 = x + n1Other;
  const row2 = y + n2Other;
  const col1 = x + y;
  // scipy: an empty row or column gives p = 1 (its odds ratio would be NaN; we report 1).
  if (row1 === 0 || row2 === 0 || col1 === 0 || n1Other + n2Other === 0) return { oddsRatio: 1, pValue: 1 };
  const oddsRatio = y > 0 && n1Other > 0 ? (x * n2Other) / (y * n1Other) : Number.POSITIVE_INFINITY;

  // a ~ Hypergeometric(total = row1 + row2, successes = row1, draws = col1), support [lo, hi].
  const lo = Math.max(0, col1 - row2);
  const hi = Math.min(col1, row1);
  const mode = Math.floor(((col1 + 1) * (row1 + 1)) / (row1 + row2 + 2));
  const w = new Float64Array(hi - lo + 1);
  w[mode - lo] = 1;
  // P(k+1)/P(k) = (row1 − k)(col1 − k) / ((k + 1)(row2 − col1 + k + 1))
  for (let k = mode; k < hi; k++) {
    w[k + 1 - lo] = ((w[k - lo] as number) * (row1 - k) * (col1 - k)) / ((k + 1) * (row2 - col1 + k + 1));
  }
  for (let k = mode; k > lo; k--) {
    w[k - 1 - lo] = ((w[k - lo] as number) * k * (row2 - col1 + k)) / ((row1 - k + 1) * (col1 - k + 1));
  }
  let total = 0;
  for (const v of w) total += v;
  const pmf = (k: number): number => (w[k - lo] as number) / total;

  let p = 0;
  if (alternative === 'less') {
    for (let k = lo; k <= x; k++) p += pmf(k);
  } else if (alternative === 'greater') {
    for (let k = x; k <= hi; k++) p += pmf(k);
  } else {
    const observed = pmf(x);
    if (Math.abs(observed - pmf(mode)) / Math.max(observed, pmf(mode)) <= RELATIVE_TIE)
      return { oddsRatio, pValue: 1 };
    const limit = observed * (1 + RELATIVE_TIE);
    for (let k = lo; k <= hi; k++) {
      const pk = pmf(k);
      if (pk <= limit) p += pk;
    }
  }
  return { oddsRatio, pValue: Math.min(1, p) };
}
