import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeArrays, loadMetricsFixture } from '../test-support/fixtures.js';
import { brierScore, classificationMetrics, logLoss } from './classification-metrics.js';
import { confusionMatrix } from './confusion-matrix.js';
import { regressionMetrics } from './regression-metrics.js';

// Reference values: src/explain/fixtures/metrics.json from src/explain/fixtures/make-metrics.py (scikit-learn 1.2.1):
// confusion_matrix, precision_recall_fscore_support (zero_division=0), accuracy_score,
// balanced_accuracy_score, matthews_corrcoef, cohen_kappa_score, log_loss, brier_score_loss and the
// regression metrics, on string labels where one predicted class ('fox') never occurs in y_true.
const fx = loadMetricsFixture();
const m = fx.multiclass as Record<string, unknown> & { y_true: string[]; y_pred: string[]; weight: number[] };
const TOL = 1e-12;
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= TOL, `${what}: ${a} vs ${b}`);

describe('confusion matrix against sklearn', () => {
  it('orders labels like numpy.unique and counts (weighted and normalised)', () => {
    const cm = confusionMatrix(m.y_true, m.y_pred);
    assert.deepEqual(cm.labels, m.labels);
    assert.deepEqual(cm.matrix, m.confusion);
    const cw = confusionMatrix(m.y_true, m.y_pred, { sampleWeight: m.weight });
    cw.matrix.forEach((row, i) => {
      closeArrays(row, (m.confusion_weighted as number[][])[i]!, 1e-9, `weighted row ${i}`);
    });
    for (const normalize of ['true', 'pred', 'all'] as const) {
      const cn = confusionMatrix(m.y_true, m.y_pred, { normalize });
      cn.matrix.forEach((row, i) => {
        closeArrays(row, (m[`confusion_${normalize}`] as number[][])[i]!, TOL, `${normalize} row ${i}`);
      });
    }
  });

  it('hand example with numeric labels and an explicit label order', () => {
    const cm = confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], { labels: [2, 1, 0] });
    assert.deepEqual(cm.matrix, [
      [2, 0, 1],
      [1, 0, 0],
      [0, 0, 2],
    ]);
  });
});

describe('classification metrics against sklearn', () => {
  for (const weighted of [false, true]) {
    it(`per-class, macro/weighted/micro averages and summary scores${weighted ? ' with sample weights' : ''}`, () => {
      const key = weighted ? 'weighted_' : '';
      const r = classificationMetrics(m.y_true, m.y_pred, weighted ? { sampleWeight: m.weight } : {});
      const pc = m[`${key}per_class`] as Record<string, number[]>;
      closeArrays(
        r.perClass.map((c) => c.precision),
        pc.precision!,
        TOL,
        'precision',
      );
      closeArrays(
        r.perClass.map((c) => c.recall),
        pc.recall!,
        TOL,
        'recall',
      );
      closeArrays(
        r.perClass.map((c) => c.f1),
        pc.f1!,
        TOL,
        'f1',
      );
      closeArrays(
        r.perClass.map((c) => c.support),
        pc.support!,
        1e-9,
        'support',
      );
      for (const avg of ['macro', 'weighted', 'micro'] as const) {
        const [p, rc, f1] = m[`${key}${avg}`] as number[];
        close(r[avg].precision, p!, `${avg} precision`);
        close(r[avg].recall, rc!, `${avg} recall`);
        close(r[avg].f1, f1!, `${avg} f1`);
      }
      close(r.accuracy, m[`${key}accuracy`] as number, 'accuracy');
      close(r.balancedAccuracy, m[`${key}balanced_accuracy`] as number, 'balanced accuracy');
      close(r.mcc, m[`${key}mcc`] as number, 'mcc');
      close(r.cohenKappa, m[`${key}kappa`] as number, 'kappa');
    });
  }

  it('log loss and Brier score', () => {
    close(logLoss(m.y_true, m.probs as number[][], ['cat', 'dog', 'eel']), m.log_loss as number, 'log loss');
    const b = fx.binary as { y: number[]; score: number[]; brier: number };
    close(brierScore(b.y, b.score), b.brier, 'brier');
  });
});

describe('regression metrics against sklearn', () => {
  it('mae, mse, r2, explained variance, max error, mape, median absolute error', () => {
    const g = fx.regression as {
      y_true: number[];
      y_pred: number[];
      mae: number;
      mse: number;
      r2: number;
      explained_variance: number;
      max_error: number;
      mape: number;
      median_ae: number;
    };
    const r = regressionMetrics(g.y_true, g.y_pred);
    close(r.mae, g.mae, 'mae');
    close(r.mse, g.mse, 'mse');
    close(r.rmse, Math.sqrt(g.mse), 'rmse');
    close(r.r2, g.r2, 'r2');
    close(r.explainedVariance, g.explained_variance, 'explained variance');
    close(r.maxError, g.max_error, 'max error');
    close(r.mape, g.mape, 'mape');
    close(r.medianAbsoluteError, g.median_ae, 'median ae');
  });
});
