/**
 * Model performance on delayed labels: each labelled request's logged prediction (the response
 * tensors) against its ground truth, per window of prediction time and per model version, with
 * the library metrics (`monitoring/performance`). A metric that is undefined on the window (ROC AUC
 * with one class, log loss on scores outside [0, 1]) is left out rather than reported as NaN.
 */
import { isOspreyError } from '../../errors/index.js';
import { accuracy, logLoss, mae, precisionRecallF1, rmse, rocAuc } from '../performance/index.js';
import type { PerformanceSpec } from './monitor-spec.js';
import type { FeedbackRecord } from './monitor-store.js';
import { responsePredictions } from './payload-rows.js';

/** One logged response of a labelled request, as stored with the label. */
export interface LoggedPrediction {
  model: string;
  version: string;
  outputs: unknown;
}

/** Labelled rows of one window: prediction rows and truths, with the model version of each. */
interface Pairs {
  predictions: number[][];
  truths: number[];
  versions: string[];
}

/** Metrics per model version ('' = all) for the labelled requests of one window. */
export function windowPerformance(
  spec: PerformanceSpec,
  records: readonly FeedbackRecord[],
  filter: { model?: string | undefined; version?: string | undefined },
): Map<string, Map<string, number>> {
  const pairs = labelledPairs(spec, records, filter);
  const out = new Map<string, Map<string, number>>();
  if (pairs.truths.length === 0) return out;
  out.set('', metrics(spec, pairs.predictions, pairs.truths));
  for (const version of new Set(pairs.versions)) {
    const keep = pairs.versions.map((v) => v === version);
    out.set(
      version,
      metrics(
        spec,
        pairs.predictions.filter((_, i) => keep[i]),
        pairs.truths.filter((_, i) => keep[i]),
      ),
    );
  }
  return out;
}

function labelledPairs(
  spec: PerformanceSpec,
  records: readonly FeedbackRecord[],
  filter: { model?: string | undefined; version?: string | undefined },
): Pairs {
  const pairs: Pairs = { predictions: [], truths: [], versions: [] };
  for (const record of records) {
    const logged = (record.outputs as LoggedPrediction[]).find(
      (p) =>
        (filter.model === undefined || p.model === filter.model) &&
        (filter.version === undefined || p.version === filter.version),
    );
    if (!logged) continue;
    const rows = responsePredictions(logged.outputs, spec.output);
    const truths = (Array.isArray(record.truth) ? record.truth : [record.truth]).map(Number);
    // A label that does not line up with the prediction rows, or is not a number, cannot be scored.
    if (!rows || rows.length !== truths.length || !truths.every(Number.isFinite)) continue;
    if (!rows.every((r) => r.length > 0 && r.every(Number.isFinite))) continue;
    pairs.predictions.push(...rows);
    pairs.truths.push(...truths);
    pairs.versions.push(...rows.map(() => logged.version));
  }
  return pairs;
}

function metrics(spec: PerformanceSpec, predictions: number[][], truths: number[]): Map<string, number> {
  const out = new Map<string, number>();
  const put = (name: string, compute: () => number) => {
    try {
      const value = compute();
      if (Number.isFinite(value)) out.set(`performance.${name}`, value);
    } catch (error) {
      if (!isOspreyError(error)) throw error;
    }
  };
  if (spec.task === 'regression') {
    const yPred = predictions.map((r) => r[0] as number);
    put('rmse', () => rmse(truths, yPred));
    put('mae', () => mae(truths, yPred));
    return out;
  }
  if (spec.task === 'binary') {
    const scores = predictions.map((r) => (r.length === 2 ? (r[1] as number) : (r[0] as number)));
    const labels = scores.map((s) => (s >= spec.threshold ? 1 : 0));
    put('accuracy', () => accuracy(truths, labels));
    putPrf(put, () => precisionRecallF1(truths, labels));
    if (new Set(truths).size === 2) put('roc_auc', () => rocAuc(truths, scores));
    if (scores.every((s) => s >= 0 && s <= 1)) put('log_loss', () => logLoss(truths, scores));
    return out;
  }
  const isProbabilities = predictions[0]!.length > 1;
  const labels = isProbabilities ? predictions.map(argmax) : predictions.map((r) => r[0] as number);
  put('accuracy', () => accuracy(truths, labels));
  putPrf(put, () => precisionRecallF1(truths, labels, { average: 'macro' }));
  if (isProbabilities) put('log_loss', () => logLoss(truths, predictions));
  return out;
}

function putPrf(
  put: (name: string, compute: () => number) => void,
  compute: () => { precision: number; recall: number; f1: number },
): void {
  put('precision', () => compute().precision);
  put('recall', () => compute().recall);
  put('f1', () => compute().f1);
}

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}
