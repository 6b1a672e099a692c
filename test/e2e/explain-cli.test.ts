import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/client/index.js';
import {
  createRng,
  loadPredictor,
  trainGradientBoostingClassifier,
  trainLogisticRegression,
  writeTrainedModelPackage,
} from '../../src/models/index.js';
import { runCli } from '../support/run-cli.js';

const COLUMNS = ['a', 'b', 'c', 'd'];
const N = 300;

interface ExplainResult {
  output: string;
  importance: { feature: string; meanAbsShap: number }[];
  explanation: { method: string; baseValues: number[]; values: number[][][]; outputs: number[][] };
}

/** Largest |base + Σφ − f(x)| over rows and outputs (SHAP's local accuracy). */
function additivityError(e: ExplainResult['explanation']): number {
  let worst = 0;
  e.values.forEach((rows, k) => {
    rows.forEach((phi, i) => {
      const total = phi.reduce((s, v) => s + v, e.baseValues[k]!);
      worst = Math.max(worst, Math.abs(total - e.outputs[k]![i]!));
    });
  });
  return worst;
}

/** ROC AUC by counting pairs (the Mann-Whitney statistic; ties count half): an independent reference. */
function pairwiseAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((li, i) => {
    if (li !== 1) return;
    labels.forEach((lj, j) => {
      if (lj !== 0) return;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('osprey explain and osprey assess', () => {
  let home: string;
  let data: string;
  const X: number[][] = [];
  const y: number[] = [];
  const group: string[] = [];
  const model = (name: string) => join(home, name);
  const cli = (...args: string[]) => runCli(['--home', home, ...args]);

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'osprey-explain-'));
    const rng = createRng(7);
    for (let i = 0; i < N; i++) {
      const row = COLUMNS.map(() => rng.normal());
      X.push(row);
      // Only a and b matter; c and d are noise.
      y.push(row[0]! + 2 * row[1]! + 0.3 * rng.normal() > 0 ? 1 : 0);
      group.push(rng.next() < 0.4 ? 'A' : 'B');
    }
    data = join(home, 'data.csv');
    writeFileSync(
      data,
      `${[...COLUMNS, 'y', 'g'].join(',')}\n${X.map((row, i) => [...row, y[i], group[i]].join(',')).join('\n')}\n`,
    );
    await writeTrainedModelPackage(
      trainGradientBoostingClassifier(X, y, { nEstimators: 20, maxDepth: 3 }),
      model('gbt'),
      { columns: COLUMNS },
    );
    await writeTrainedModelPackage(trainLogisticRegression(X, y), model('logistic'), { columns: COLUMNS });
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('explains a tree ensemble exactly with TreeSHAP and writes JSON and HTML', async () => {
    const out = join(home, 'gbt.json');
    const html = join(home, 'gbt.html');
    const result = await cli('explain', model('gbt'), '-d', data, '-n', '25', '--out', out, '--html', html);
    assert.equal(result.code, 0, result.stderr);
    const written = JSON.parse(readFileSync(out, 'utf8')) as ExplainResult;
    assert.equal(written.explanation.method, 'tree-interventional');
    assert.equal(written.explanation.values[0]!.length, 25);
    assert.ok(
      additivityError(written.explanation) < 1e-6,
      `additivity error ${additivityError(written.explanation)}`,
    );
    const ranked = written.importance.map((f) => f.feature);
    assert.deepEqual(ranked.slice(0, 2).sort(), ['a', 'b']);
    assert.match(result.stdout, /feature\s*│\s*mean \|SHAP\|/);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/);
    assert.match(page, /<svg/);
  });

  it('explains any model with KernelSHAP on its probabilities, and logs the report to a run', async () => {
    const client = await connect({ home, env: {} });
    const experimentId = await client.createExperiment({ name: 'explain' });
    const run = await client.createRun({ experimentId });
    await client.close();
    const result = await cli(
      '--json',
      'explain',
      model('logistic'),
      '-d',
      data,
      '-n',
      '5',
      '--method',
      'kernel',
      '--out',
      join(home, 'logistic.json'),
      '--run-id',
      run.info.runId,
    );
    assert.equal(result.code, 0, result.stderr);
    const written = JSON.parse(readFileSync(join(home, 'logistic.json'), 'utf8')) as ExplainResult;
    assert.equal(written.output, 'probabilities');
    assert.equal(written.explanation.method, 'kernel');
    // Four features: KernelSHAP enumerates every coalition, so local accuracy is exact.
    assert.ok(additivityError(written.explanation) < 1e-6);
    const importance = JSON.parse(result.stdout) as ExplainResult['importance'];
    assert.deepEqual(
      importance.slice(0, 2).map((f) => f.feature),
      ['b', 'a'],
    );
    const reader = await connect({ home, env: {} });
    const files = (await reader.listArtifacts(run.info.runId, 'explain')).map((f) => f.path).sort();
    await reader.close();
    assert.deepEqual(files, ['explain/report.html', 'explain/result.json']);
  });

  it('assesses a classifier: metrics, ROC AUC equal to the pairwise count, fairness by group', async () => {
    const result = await cli('--json', 'assess', model('logistic'), '-d', data, '-l', 'y', '-s', 'g');
    assert.equal(result.code, 0, result.stderr);
    const assessment = JSON.parse(result.stdout) as {
      kind: string;
      metrics: { accuracy: number };
      binary: { roc: { auc: number } };
      fairness: Record<string, { groups: { group: string; count: number }[] }>;
    };
    assert.equal(assessment.kind, 'classification');
    const predictor = await loadPredictor(model('logistic'));
    const outputs = await predictor.predict({
      input: { datatype: 'FP32', shape: [N, 4], data: Float32Array.from(X.flat()) },
    });
    await predictor.unload();
    const probabilities = Array.from(outputs.probabilities!.data as Float32Array);
    const positive = probabilities.filter((_, i) => i % 2 === 1);
    assert.ok(Math.abs(assessment.binary.roc.auc - pairwiseAuc(y, positive)) < 1e-12);
    const accuracy = positive.filter((p, i) => (p > 0.5 ? 1 : 0) === y[i]).length / N;
    assert.ok(Math.abs(assessment.metrics.accuracy - accuracy) < 1e-12);
    const groups = assessment.fairness.g!.groups;
    assert.deepEqual(groups.map((g) => g.group).sort(), ['A', 'B']);
    assert.equal(
      groups.reduce((s, g) => s + g.count, 0),
      N,
    );
  });

  it('fails clearly on bad input', async () => {
    const bad = join(home, 'bad.csv');
    writeFileSync(bad, 'a,b,c,d\n1,2,3,4\n1,x,3,4\n');
    const cases: [string[], RegExp][] = [
      [['explain', model('gbt'), '-d', bad], /row 2, column 'b': "x" is not a number/],
      [['explain', model('logistic'), '-d', data, '--method', 'tree'], /--method tree needs a tree-ensemble/],
      [
        ['explain', model('gbt'), '-d', data, '--method', 'exact'],
        /--method must be one of auto, tree, kernel/,
      ],
      [['explain', model('gbt'), '-d', data, '--output', 'nope'], /has no output 'nope'/],
      [['assess', model('gbt'), '-d', data, '-l', 'label'], /no column 'label'/],
      [['assess', model('gbt'), '-d', data, '-l', 'g'], /label 1 \((A|B)\) is not one of the classes 0, 1/],
      [['explain', join(home, 'nothing'), '-d', data], /not found/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}`);
      assert.match(result.stderr, message, args.join(' '));
    }
  });
});
