import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect } from '../../src/client/index.js';
import { runCli } from '../support/run-cli.js';

describe('osprey demo (the quick-start job)', () => {
  it('tracks a sweep with lineage and registers the best model as champion', async () => {
    const home = mkdtempSync(join(tmpdir(), 'osprey-demo-'));
    try {
      const result = await runCli(['--home', home, 'demo']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /registered models:\/moons-classifier\/1 as @champion/);
      const client = await connect({ home, env: {} });
      const experiment = await client.getExperimentByName('osprey-demo');
      const { items } = await client.searchRuns({
        experimentIds: [experiment.experimentId],
        filter: "tags.mlflow.parentRunId LIKE '%'",
        orderBy: ['metrics.test_accuracy DESC', 'metrics.test_log_loss ASC'],
      });
      assert.equal(items.length, 6);
      const best = items[0]!;
      assert.ok(Number(best.data.metrics.find((m) => m.key === 'test_accuracy')?.value) > 0.85);
      assert.equal(best.inputs.datasetInputs[0]?.dataset.name, 'moons');
      assert.match(best.inputs.datasetInputs[0]?.dataset.digest ?? '', /^sha256:[0-9a-f]{64}$/);
      const champion = await client.resolveModel('models:/moons-classifier@champion');
      assert.equal(champion.runId, best.info.runId);
      const mlp = items.find((r) => r.info.runName === 'mlp-16')!;
      assert.equal((await client.getMetricHistory(mlp.info.runId, 'train_loss')).length, 60);
      const files = await client.listArtifacts(best.info.runId, 'model');
      assert.deepEqual(files.map((f) => f.path).sort(), ['model/model.onnx', 'model/osprey-model.yaml']);
      // The champion serves predictions straight from the registry.
      const input = join(home, 'points.csv');
      writeFileSync(input, 'x1,x2\n-1,0.5\n2,0\n0.5,-0.4\n');
      const predicted = await runCli([
        '--home',
        home,
        'models',
        'predict',
        'models:/moons-classifier@champion',
        '-i',
        input,
      ]);
      assert.equal(predicted.code, 0, predicted.stderr);
      const { predictions } = JSON.parse(predicted.stdout) as {
        predictions: { label: number; probabilities: number[] }[];
      };
      assert.deepEqual(
        predictions.map((p) => p.label),
        [0, 1, 1],
      );
      for (const p of predictions) assert.ok(Math.abs(p.probabilities[0]! + p.probabilities[1]! - 1) < 1e-5);
      const out = join(home, 'out.json');
      const written = await runCli([
        '--home',
        home,
        'models',
        'predict',
        `runs:/${best.info.runId}/model`,
        '-i',
        input,
        '-o',
        out,
      ]);
      assert.equal(written.code, 0, written.stderr);
      assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { predictions });
      const missing = await runCli([
        '--home',
        home,
        'models',
        'predict',
        'models:/moons-classifier@nope',
        '-i',
        input,
      ]);
      assert.equal(missing.code, 1);
      await client.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
