import { type BinaryScoreOptions, binaryClfCurve } from './binary-curves.js';
import type { Label } from './labels.js';

/** Confusion counts and rates when predicting positive for score >= threshold. */
export interface ThresholdRow {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  /** True positive rate. */
  recall: number;
  fpr: number;
  specificity: number;
  f1: number;
  accuracy: number;
  /** Youden's J = TPR - FPR (Youden 1950). */
  youden: number;
  /** Share predicted positive. */
  selectionRate: number;
}

export interface ThresholdAnalysis {
  rows: ThresholdRow[];
  bestF1: ThresholdRow;
  bestYouden: ThresholdRow;
}

/**
 * Metrics at every distinct score used as a threshold (score >= t is positive), highest first,
 * plus the thresholds that maximise F1 and Youden's J (ties within 1e-12: the highest threshold).
 * 0/0 counts as 0.
 */
export function thresholdAnalysis(
  yTrue: readonly Label[],
  scores: readonly number[],
  options: BinaryScoreOptions = {},
): ThresholdAnalysis {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, scores, options);
  const P = tps[tps.length - 1]!;
  const N = fps[fps.length - 1]!;
  const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const rows = thresholds.map((threshold, i) => {
    const tp = tps[i]!;
    const fp = fps[i]!;
    const fn = P - tp;
    const tn = N - fp;
    const precision = div(tp, tp + fp);
    const recall = div(tp, P);
    const fpr = div(fp, N);
    return {
      threshold,
      tp,
      fp,
      tn,
      fn,
      precision,
      recall,
      fpr,
      specificity: N === 0 ? 0 : 1 - fpr,
      f1: div(2 * tp, 2 * tp + fp + fn),
      accuracy: div(tp + tn, P + N),
      youden: recall - fpr,
      selectionRate: div(tp + fp, P + N),
    };
  });
  // Scores within 1e-12 count as ties (1 - 2/3 and 2/3 - 1/3 differ in the last bit).
  const best = (key: 'f1' | 'youden') => rows.reduce((a, r) => (r[key] > a[key] + 1e-12 ? r : a), rows[0]!);
  return { rows, bestF1: best('f1'), bestYouden: best('youden') };
}
