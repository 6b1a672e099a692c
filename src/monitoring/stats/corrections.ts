/**
 * Multiple-testing corrections for per-feature drift tests, with Alibi Detect's decision rules
 * (strict `p < threshold`).
 */
import { invalidArgument } from '../../errors/index.js';

export type Correction = 'bonferroni' | 'fdr';

export interface CorrectionResult {
  /** True when at least one hypothesis is rejected. */
  isDrift: boolean;
  /** A p-value is rejected iff it is below this threshold. */
  threshold: number;
  rejected: boolean[];
}

/** Bonferroni: reject p_i < α/n. */
export function bonferroni(pValues: readonly number[], alpha: number): CorrectionResult {
  checkInputs(pValues, alpha);
  const threshold = alpha / pValues.length;
  const rejected = pValues.map((p) => p < threshold);
  return { isDrift: rejected.some(Boolean), threshold, rejected };
}

/**
 * Benjamini–Hochberg step-up (false discovery rate q): with p sorted ascending, k = the largest i
 * with p_(i) < q·i/n; reject the k smallest. The threshold is q·k/n, or q/n when nothing is
 * rejected (every p-value is at or above it).
 */
export function benjaminiHochberg(pValues: readonly number[], q: number): CorrectionResult {
  checkInputs(pValues, q);
  const n = pValues.length;
  const sorted = [...pValues].sort((a, b) => a - b);
  let k = 0;
  for (let i = 1; i <= n; i++) {
    if ((sorted[i - 1] as number) < (q * i) / n) k = i;
  }
  const threshold = k === 0 ? q / n : (q * k) / n;
  const rejected = pValues.map((p) => k > 0 && p < threshold);
  return { isDrift: k > 0, threshold, rejected };
}

/** Applies the named correction. */
export function correctPValues(
  pValues: readonly number[],
  alpha: number,
  correction: Correction,
): CorrectionResult {
  return correction === 'bonferroni' ? bonferroni(pValues, alpha) : benjaminiHochberg(pValues, alpha);
}

function checkInputs(pValues: readonly number[], alpha: number): void {
  if (pValues.length === 0) throw invalidArgument('need at least one p-value');
  if (!(alpha > 0 && alpha < 1)) throw invalidArgument(`significance level must be in (0, 1), got ${alpha}`);
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw invalidArgument(`p-values must be in [0, 1], got ${p}`);
  }
}
