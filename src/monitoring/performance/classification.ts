/**
 * Classification metrics over label arrays, with scikit-learn's definitions
 * (sklearn.metrics.accuracy_score, precision_recall_fscore_support): a ratio with a zero
 * denominator counts as 0 (sklearn's `zero_division` outcome, without the warning).
 */
import { invalidArgument } from '../../errors/index.js';
import { checkPaired, type Label } from './validate.js';

export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
const harmonicMean = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Share of predictions equal to the truth. */
export function accuracy(yTrue: readonly Label[], yPred: readonly Label[]): number {
  checkPaired(yTrue, yPred, 'accuracy');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/** True positives, false positives, false negatives and support per label. */
export function perLabelCounts(
  yTrue: readonly Label[],
  yPred: readonly Label[],
): Map<Label, { tp: number; fp: number; fn: number; support: number }> {
  checkPaired(yTrue, yPred, 'per-label counts');
  const counts = new Map<Label, { tp: number; fp: number; fn: number; support: number }>();
  const get = (l: Label) => {
    let c = counts.get(l);
    if (!c) {
      c = { tp: 0, fp: 0, fn: 0, support: 0 };
      counts.set(l, c);
    }
    return c;
  };
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] as Label;
    const p = yPred[i] as Label;
    get(t).support++;
    if (t === p) get(t).tp++;
    else {
      get(p).fp++;
      get(t).fn++;
    }
  }
  return counts;
}

/**
 * Precision, recall and F1. `binary` scores `positiveLabel` (default 1); `macro` averages the
 * per-label scores over every label seen in truth or prediction; `weighted` weights them by
 * support; `micro` pools the counts.
 */
export function precisionRecallF1(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  options: { average?: Average; positiveLabel?: Label } = {},
): PrecisionRecallF1 {
  const average = options.average ?? 'binary';
  const counts = perLabelCounts(yTrue, yPred);
  const score = (c: { tp: number; fp: number; fn: number }): PrecisionRecallF1 => {
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    return { precision, recall, f1: harmonicMean(precision, recall) };
  };
  if (average === 'binary') {
    const positive = options.positiveLabel ?? 1;
    if (counts.size > 2)
      throw invalidArgument('binary average needs at most two labels; use macro, micro or weighted');
    return score(counts.get(positive) ?? { tp: 0, fp: 0, fn: 0 });
  }
  if (average === 'micro') {
    const pooled = { tp: 0, fp: 0, fn: 0 };
    for (const c of counts.values()) {
      pooled.tp += c.tp;
      pooled.fp += c.fp;
      pooled.fn += c.fn;
    }
    return score(pooled);
  }
  if (average !== 'macro' && average !== 'weighted') throw invalidArgument(`unknown average "${average}"`);
  const total = yTrue.length;
  const out = { precision: 0, recall: 0, f1: 0 };
  for (const c of counts.values()) {
    const w = average === 'macro' ? 1 / counts.size : c.support / total;
    const s = score(c);
    out.precision += w * s.precision;
    out.recall += w * s.recall;
    out.f1 += w * s.f1;
  }
  return out;
}
