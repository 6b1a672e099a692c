import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeTo, loadReferenceValues } from '../fixtures/reference-values.js';
import { accuracy, logLoss, mae, precisionRecallF1, rmse, rocAuc } from './index.js';

// Expected values: scikit-learn 1.2 metrics, fixtures/make-reference.py.
const m = loadReferenceValues().metrics;
const near = (a: number, b: number) => assert.ok(closeTo(a, b, 1e-12, 1e-15), `${a} vs ${b}`);

describe('performance metrics against scikit-learn', () => {
  it('binary: accuracy, precision, recall, F1, ROC AUC, log loss', () => {
    const b = m.binary;
    near(accuracy(b.yTrue, b.yPred), b.accuracy);
    const prf = precisionRecallF1(b.yTrue, b.yPred);
    near(prf.precision, b.precision);
    near(prf.recall, b.recall);
    near(prf.f1, b.f1);
    near(rocAuc(b.yTrue, b.scores), b.rocAuc);
    near(logLoss(b.yTrue, b.scores), b.logLoss);
  });

  it('multiclass: accuracy, macro / micro / weighted averages, log loss', () => {
    const c = m.multiclass;
    near(accuracy(c.yTrue, c.yPred), c.accuracy);
    for (const average of ['macro', 'micro', 'weighted'] as const) {
      const prf = precisionRecallF1(c.yTrue, c.yPred, { average });
      near(prf.precision, c.prf[average].precision);
      near(prf.recall, c.prf[average].recall);
      near(prf.f1, c.prf[average].f1);
    }
    near(logLoss(c.yTrue, c.probabilities), c.logLoss);
  });

  it('regression: RMSE and MAE', () => {
    near(rmse(m.regression.yTrue, m.regression.yPred), m.regression.rmse);
    near(mae(m.regression.yTrue, m.regression.yPred), m.regression.mae);
  });

  it('edge cases: no predicted positives gives precision 0, not NaN; string labels work', () => {
    assert.deepEqual(precisionRecallF1([1, 0], [0, 0]), { precision: 0, recall: 0, f1: 0 });
    assert.equal(accuracy(['a', 'b', 'c'], ['a', 'b', 'b']), 2 / 3);
    assert.ok(Number.isFinite(logLoss([1], [0])));
    assert.throws(() => rmse([1, 2], [1]), { code: 'INVALID_ARGUMENT' });
  });
});
