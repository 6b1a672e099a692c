import { invalidArgument } from '../../errors/index.js';
import { quantileLinear, sortedCopy } from '../common/stats.js';
import { assertFiniteVector, assertInt } from '../common/validate.js';
import { positives } from './binary-curves.js';
import type { Label } from './labels.js';

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

export interface CalibrationCurve {
  /** Fraction of positives per non-empty bin (sklearn calibration_curve's prob_true). */
  probTrue: number[];
  /** Mean predicted probability per non-empty bin (prob_pred). */
  probPred: number[];
  bins: CalibrationBin[];
  edges: number[];
  /** Expected calibration error: sum over bins of (count / n) |fractionPositive - meanPredicted|. */
  ece: number;
  /** Largest |fractionPositive - meanPredicted| over non-empty bins. */
  mce: number;
}

/**
 * Reliability curve with sklearn.calibration.calibration_curve semantics: edges are
 * linspace(0, 1, nBins + 1) ('uniform') or numpy percentiles of the scores ('quantile'); a score
 * goes to bin searchsorted(inner edges, p, 'left'), so a score equal to an inner edge falls in the
 * lower bin; empty bins are left out.
 */
export function calibrationCurve(
  yTrue: readonly Label[],
  probPositive: readonly number[],
  options: { nBins?: number; strategy?: 'uniform' | 'quantile'; posLabel?: Label } = {},
): CalibrationCurve {
  assertFiniteVector('probPositive', probPositive, yTrue.length);
  if (probPositive.some((p) => p < 0 || p > 1)) throw invalidArgument('probabilities must lie in [0, 1]');
  const nBins = options.nBins ?? 5;
  assertInt('nBins', nBins, 1);
  const y = positives(yTrue, options.posLabel);
  const strategy = options.strategy ?? 'uniform';
  let edges: number[];
  if (strategy === 'uniform')
    edges = Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 1 : i / nBins));
  else if (strategy === 'quantile') {
    const sorted = sortedCopy(probPositive);
    edges = Array.from({ length: nBins + 1 }, (_, i) => quantileLinear(sorted, i / nBins));
  } else throw invalidArgument(`unknown strategy '${String(strategy)}'`);
  const inner = edges.slice(1, -1);
  const sums = new Array<number>(nBins).fill(0);
  const trues = new Array<number>(nBins).fill(0);
  const counts = new Array<number>(nBins).fill(0);
  probPositive.forEach((p, i) => {
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    sums[lo]! += p;
    trues[lo]! += y[i] ? 1 : 0;
    counts[lo]!++;
  });
  const bins: CalibrationBin[] = [];
  counts.forEach((c, b) => {
    if (c > 0) {
      bins.push({
        lower: edges[b]!,
        upper: edges[b + 1]!,
        count: c,
        meanPredicted: sums[b]! / c,
        fractionPositive: trues[b]! / c,
      });
    }
  });
  const n = probPositive.length;
  const gaps = bins.map((b) => Math.abs(b.fractionPositive - b.meanPredicted));
  return {
    probTrue: bins.map((b) => b.fractionPositive),
    probPred: bins.map((b) => b.meanPredicted),
    bins,
    edges,
    ece: bins.reduce((a, b, i) => a + (b.count / n) * gaps[i]!, 0),
    mce: gaps.length ? Math.max(...gaps) : 0,
  };
}
