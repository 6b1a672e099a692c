import { invalidArgument } from '../../errors/index.js';
import { assertFiniteVector } from '../common/validate.js';
import type { Label } from './labels.js';

export interface BinaryScoreOptions {
  /** The positive class (default 1, or true when the labels are booleans). */
  posLabel?: Label;
  sampleWeight?: number[];
}

/** Cumulative (weighted) false and true positives at each distinct score, highest score first. */
export interface ClfCurve {
  fps: number[];
  tps: number[];
  thresholds: number[];
}

/** True where yTrue equals the positive label; checks the labels are binary. */
export function positives(yTrue: readonly Label[], posLabel?: Label): boolean[] {
  const distinct = new Set(yTrue);
  if (distinct.size > 2) throw invalidArgument(`binary metrics need at most 2 classes, got ${distinct.size}`);
  const pos = posLabel ?? (distinct.has(true) ? true : 1);
  return yTrue.map((v) => v === pos);
}

/**
 * sklearn's `_binary_clf_curve`: sort by decreasing score, and at the last index of every run of
 * equal scores record the cumulative true and false positives. A row counts as predicted positive
 * when its score is >= the threshold.
 */
export function binaryClfCurve(
  yTrue: readonly Label[],
  scores: readonly number[],
  options: BinaryScoreOptions = {},
): ClfCurve {
  assertFiniteVector('scores', scores, yTrue.length);
  const y = positives(yTrue, options.posLabel);
  const w = options.sampleWeight;
  if (w) assertFiniteVector('sampleWeight', w, yTrue.length);
  // Zero-weight samples are dropped so they create no thresholds (as sklearn does).
  const order = scores
    .map((_, i) => i)
    .filter((i) => w?.[i] !== 0)
    .sort((a, b) => scores[b]! - scores[a]!);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((idx, k) => {
    const wi = w ? w[idx]! : 1;
    if (y[idx]) tp += wi;
    else fp += wi;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[idx]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[idx]!);
    }
  });
  return { fps, tps, thresholds };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; thresholds[0] = +Infinity (sklearn >= 1.3; 1.2 used max(score) + 1). */
  thresholds: number[];
}

/**
 * ROC curve with sklearn.metrics.roc_curve semantics. `dropIntermediate` (default true, as sklearn)
 * removes thresholds whose point is collinear with its neighbours (second differences of fps and tps
 * both 0), which leaves the curve and its area unchanged.
 */
export function rocCurve(
  yTrue: readonly Label[],
  scores: readonly number[],
  options: BinaryScoreOptions & { dropIntermediate?: boolean } = {},
): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, scores, options);
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    const keep = fps.map((_, i) => {
      if (i === 0 || i === fps.length - 1) return true;
      const d2f = fps[i + 1]! - 2 * fps[i]! + fps[i - 1]!;
      const d2t = tps[i + 1]! - 2 * tps[i]! + tps[i - 1]!;
      return d2f !== 0 || d2t !== 0;
    });
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  fps = [0, ...fps];
  tps = [0, ...tps];
  thresholds = [Number.POSITIVE_INFINITY, ...thresholds];
  const fMax = fps[fps.length - 1]!;
  const tMax = tps[tps.length - 1]!;
  // Undefined without negatives (or positives): NaN, as sklearn.
  return {
    fpr: fps.map((v) => (fMax > 0 ? v / fMax : Number.NaN)),
    tpr: tps.map((v) => (tMax > 0 ? v / tMax : Number.NaN)),
    thresholds,
  };
}

/** Area under a curve by the trapezoidal rule (sklearn.metrics.auc), x monotonic. */
export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return Math.abs(area);
}

/** ROC AUC (sklearn roc_auc_score, binary): trapezoidal area under the ROC curve; ties count half. */
export function rocAuc(
  yTrue: readonly Label[],
  scores: readonly number[],
  options: BinaryScoreOptions = {},
): number {
  const y = positives(yTrue, options.posLabel);
  if (!y.includes(true) || !y.includes(false)) {
    throw invalidArgument('ROC AUC is undefined when only one class is present in yTrue');
  }
  const roc = rocCurve(yTrue, scores, options);
  return trapezoid(roc.fpr, roc.tpr);
}

export interface PrCurve {
  /** Precision per threshold (increasing threshold order), ending with 1. */
  precision: number[];
  /** Recall per threshold, decreasing, ending with 0. */
  recall: number[];
  /** Increasing distinct scores. */
  thresholds: number[];
}

/**
 * Precision-recall curve with sklearn.metrics.precision_recall_curve semantics (its default
 * drop_intermediate=False: every distinct score is a threshold): precision 0/0 is 0, the curve
 * ends at (recall 0, precision 1), and without positives recall is 1 everywhere.
 */
export function precisionRecallCurve(
  yTrue: readonly Label[],
  scores: readonly number[],
  options: BinaryScoreOptions = {},
): PrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, scores, options);
  const tMax = tps[tps.length - 1]!;
  const precision = tps.map((tp, i) => (tp + fps[i]! === 0 ? 0 : tp / (tp + fps[i]!)));
  const recall = tps.map((tp) => (tMax === 0 ? 1 : tp / tMax));
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: [...thresholds].reverse(),
  };
}

/** Average precision (sklearn average_precision_score): sum_n (R_n - R_{n-1}) P_n, no interpolation. */
export function averagePrecision(
  yTrue: readonly Label[],
  scores: readonly number[],
  options: BinaryScoreOptions = {},
): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores, options);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return ap;
}
