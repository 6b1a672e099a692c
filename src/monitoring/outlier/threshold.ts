/** Thresholds for outlier scores fitted on reference data. */
import { invalidArgument } from '../../errors/index.js';
import { quantileSorted } from '../stats/index.js';

/**
 * The (1 − fpr) quantile of the reference scores (numpy's linear interpolation), so about a
 * share `fpr` of reference-like data scores above it.
 */
export function quantileThreshold(scores: readonly number[], fpr: number): number {
  if (!(fpr > 0 && fpr < 1))
    throw invalidArgument(`false-positive rate / contamination must be in (0, 1), got ${fpr}`);
  if (scores.length === 0) throw invalidArgument('no reference scores to fit a threshold on');
  return quantileSorted(Float64Array.from(scores).sort(), 1 - fpr);
}
