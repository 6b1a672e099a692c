import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import {
  averagePrecision,
  calibrationCurve,
  classBalance,
  classificationMetrics,
  detectProtectedAttributes,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
} from '../assessment/index.js';
import { fairnessReport } from '../fairness/index.js';
import { permutationImportance } from '../importance/index.js';
import { randomEnsemble, randomRows } from '../test-support/random-trees.js';
import { predictRaw, treeShap } from '../tree/index.js';
import { type ReportInput, renderReport } from './render-report.js';
import { shapBeeswarm } from './shap-plots.js';

async function fullInput(): Promise<ReportInput> {
  const rng = createRng(5);
  const m = 6;
  const ensemble = randomEnsemble(rng, { m, trees: 5, depth: 4, k: 1 });
  const rows = randomRows(rng, 120, m, 0.02);
  const shap = treeShap(ensemble, rows, {
    featureNames: ['<script>alert(1)</script>', 'age', 'income', 'score & co', 'f4', 'f5'],
  });
  const margin = predictRaw(ensemble, rows).map((r) => r[0]!);
  const prob = margin.map((v) => 1 / (1 + Math.exp(-v)));
  const yTrue = prob.map((p) => (rng.next() < p ? 1 : 0));
  const yPred = prob.map((p) => (p >= 0.5 ? 1 : 0));
  const sex = rows.map((r) => (r[0]! > 0.5 ? 'female' : 'male'));
  const importance = await permutationImportance({
    predict: (x) => predictRaw(ensemble, x).map((r) => r[0]!),
    X: rows.map((r) => r.map((v) => (Number.isNaN(v) ? 0 : v))),
    y: margin,
    score: (y, p) => -y.reduce((a, v, i) => a + (v - p[i]![0]!) ** 2, 0) / y.length,
    featureNames: shap.featureNames,
  });
  return {
    title: 'Model report <v1>',
    subtitle: 'credit-model version 3',
    shap: { explanation: shap },
    importance,
    classBalance: classBalance(yTrue),
    protectedAttributes: detectProtectedAttributes({ sex, approved: yTrue }, { label: 'approved' }),
    classification: classificationMetrics(yTrue, yPred),
    roc: { curve: rocCurve(yTrue, prob), auc: rocAuc(yTrue, prob) },
    pr: { curve: precisionRecallCurve(yTrue, prob), averagePrecision: averagePrecision(yTrue, prob) },
    calibration: calibrationCurve(yTrue, prob, { nBins: 8 }),
    fairness: { sex: fairnessReport(yTrue, yPred, sex) },
    notes: ['Background: training rows <all>'],
  };
}

describe('renderReport', () => {
  it('renders every section as inline SVG with escaped text and no scripts', async () => {
    const input = await fullInput();
    const html = renderReport(input);
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    // beeswarm, bar, 2 dependence, importance, ROC, PR, calibration, fairness rates, disparate impact
    assert.equal(html.match(/<svg /g)?.length, 10);
    assert.ok(!/<script/i.test(html), 'no script element may appear');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('score &amp; co'));
    assert.ok(html.includes('Model report &lt;v1&gt;'));
    assert.ok(!/NaN|Infinity|="undefined|>undefined/.test(html), 'no unformatted numbers');
    assert.ok(html.includes('US EEOC'), 'the four-fifths caveat is shown');
    assert.ok(!/(src|href)="http/.test(html), 'no external resources');
  });

  it('draws every explained row in the beeswarm (120 rows x 6 features)', async () => {
    const input = await fullInput();
    assert.equal(shapBeeswarm(input.shap!.explanation).match(/<circle /g)?.length, 720);
    assert.equal(shapBeeswarm(input.shap!.explanation, 0, 3, 60).match(/<circle /g)?.length, 180);
  });

  it('is deterministic and keeps only the sections given', async () => {
    const input = await fullInput();
    assert.equal(renderReport(input), renderReport(input));
    const minimal = renderReport({ title: 'Empty' });
    assert.ok(minimal.includes('<h1>Empty</h1>'));
    assert.ok(!minimal.includes('<section>'));
  });
});
