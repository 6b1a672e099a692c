import { invalidArgument } from '../../errors/index.js';
import { confusionMatrix } from './confusion-matrix.js';
import type { Label } from './labels.js';

export interface PerClass {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Averaged {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  /** Mean per-class recall (sklearn balanced_accuracy_score). */
  balancedAccuracy: number;
  /** Matthews correlation coefficient, multi-class form (Gorodkin 2004; sklearn matthews_corrcoef). */
  mcc: number;
  /** Cohen's kappa (sklearn cohen_kappa_score, unweighted). */
  cohenKappa: number;
  perClass: PerClass[];
  macro: Averaged;
  weighted: Averaged;
  /** Micro averages; equal to accuracy for single-label multi-class data. */
  micro: Averaged;
}

/**
 * Label-based classification metrics with sklearn semantics (precision_recall_fscore_support,
 * zero_division=0: a 0/0 precision or recall counts as 0). Sample weights are supported.
 */
export function classificationMetrics(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  options: { labels?: Label[]; sampleWeight?: number[] } = {},
): ClassificationMetrics {
  const { labels, matrix } = confusionMatrix(yTrue, yPred, options);
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = labels.map((_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
  const tp = labels.map((_, i) => matrix[i]![i]!);
  const n = support.reduce((a, b) => a + b, 0);
  if (n === 0) throw invalidArgument('no samples with the given labels');
  const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perClass = labels.map((label, i) => {
    const precision = div(tp[i]!, predicted[i]!);
    const recall = div(tp[i]!, support[i]!);
    return {
      label,
      precision,
      recall,
      f1: div(2 * precision * recall, precision + recall),
      support: support[i]!,
    };
  });
  const avg = (key: keyof Averaged, weights?: number[]) => {
    const w = weights ?? perClass.map(() => 1);
    const total = w.reduce((a, b) => a + b, 0);
    return div(
      perClass.reduce((a, c, i) => a + c[key] * w[i]!, 0),
      total,
    );
  };
  const tpSum = tp.reduce((a, b) => a + b, 0);
  const predSum = predicted.reduce((a, b) => a + b, 0);
  const microP = div(tpSum, predSum);
  const microR = div(tpSum, n);
  // MCC (Gorodkin): (c s - sum p_k t_k) / sqrt((s^2 - sum p_k^2)(s^2 - sum t_k^2)).
  const pt = predicted.reduce((a, p, i) => a + p * support[i]!, 0);
  const pp = predicted.reduce((a, b) => a + b * b, 0);
  const tt = support.reduce((a, b) => a + b * b, 0);
  const mccDen = Math.sqrt((n * n - pp) * (n * n - tt));
  const pe = pt / (n * n);
  const po = tpSum / n;
  const present = perClass.filter((c) => c.support > 0);
  return {
    n,
    accuracy: po,
    balancedAccuracy: present.reduce((a, c) => a + c.recall, 0) / present.length,
    mcc: mccDen === 0 ? 0 : (tpSum * n - pt) / mccDen,
    cohenKappa: pe === 1 ? Number.NaN : (po - pe) / (1 - pe),
    perClass,
    macro: { precision: avg('precision'), recall: avg('recall'), f1: avg('f1') },
    weighted: {
      precision: avg('precision', support),
      recall: avg('recall', support),
      f1: avg('f1', support),
    },
    micro: { precision: microP, recall: microR, f1: div(2 * microP * microR, microP + microR) },
  };
}

/**
 * Mean negative log-likelihood of the true class (sklearn log_loss): `probabilities[i][c]` is the
 * probability of `classes[c]`; rows are renormalised and clipped to [eps, 1 - eps], eps = 1e-15.
 */
export function logLoss(
  yTrue: readonly Label[],
  probabilities: readonly number[][],
  classes: readonly Label[],
  eps = 1e-15,
): number {
  if (yTrue.length !== probabilities.length)
    throw invalidArgument('yTrue and probabilities differ in length');
  const index = new Map<Label, number>(classes.map((c, i) => [c, i]));
  let total = 0;
  yTrue.forEach((t, i) => {
    const c = index.get(t);
    if (c === undefined) throw invalidArgument(`label ${String(t)} is not among the classes`);
    const row = probabilities[i]!.map((p) => Math.min(Math.max(p, eps), 1 - eps));
    const s = row.reduce((a, b) => a + b, 0);
    total -= Math.log(row[c]! / s);
  });
  return total / yTrue.length;
}

/** Brier score: mean squared difference between P(positive) and the 0/1 outcome (sklearn brier_score_loss). */
export function brierScore(
  yTrue: readonly Label[],
  probPositive: readonly number[],
  posLabel: Label = 1,
): number {
  if (yTrue.length !== probPositive.length) throw invalidArgument('yTrue and probabilities differ in length');
  return (
    yTrue.reduce<number>((a, t, i) => a + ((t === posLabel ? 1 : 0) - probPositive[i]!) ** 2, 0) /
    yTrue.length
  );
}
