/**
 * Metrics on scores and probabilities: ROC AUC (sklearn.metrics.roc_auc_score, binary) and log
 * loss (sklearn.metrics.log_loss).
 */
import { invalidArgument } from '../../errors/index.js';
import { aucTest } from '../stats/index.js';
import { checkFinite, checkPaired } from './validate.js';

/** Binary ROC AUC of `scores` for 0/1 labels; ties count ½ (equals the trapezoidal ROC area). */
export function rocAuc(yTrue: readonly number[], scores: readonly number[]): number {
  checkPaired(yTrue, scores, 'rocAuc');
  checkFinite(scores, 'rocAuc scores');
  return aucTest(scores, yTrue).auc;
}

const EPS = 1e-15;

/**
 * Mean negative log-likelihood. Binary: `probabilities[i]` is P(y = 1) and labels are 0/1.
 * Multiclass: one probability row per sample and labels are class indices 0..K−1. Probabilities
 * are clipped to [1e-15, 1 − 1e-15] and rows renormalised, as scikit-learn 1.2 does.
 */
export function logLoss(
  yTrue: readonly number[],
  probabilities: readonly number[] | readonly (readonly number[])[],
): number {
  checkPaired(yTrue, probabilities as readonly unknown[], 'logLoss');
  const rows: number[][] = (probabilities as readonly (number | readonly number[])[]).map((p) =>
    Array.isArray(p) ? [...p] : [1 - (p as number), p as number],
  );
  let total = 0;
  rows.forEach((row, i) => {
    checkFinite(row, 'logLoss probabilities');
    const label = yTrue[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= row.length)
      throw invalidArgument(`label ${label} is not a class index for ${row.length} classes`);
    const clipped = row.map((p) => Math.min(1 - EPS, Math.max(EPS, p)));
    const sum = clipped.reduce((a, b) => a + b, 0);
    total -= Math.log((clipped[label] as number) / sum);
  });
  return total / rows.length;
}
