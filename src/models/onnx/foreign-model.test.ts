import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { evaluateTreeEnsemble, readOnnxModel, readTreeEnsemble } from './index.js';
import { runWithOrt } from './ort-harness.js';
import { assertClose, randomRows } from './test-data.js';

// Files written by the official onnx Python package 1.12 (fixtures/make-foreign-trees.py), with the
// attribute values it set recorded in foreign-trees.json.
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const expected = JSON.parse(readFileSync(fixture('foreign-trees.json'), 'utf8')) as {
  classifier: Record<string, unknown>;
  regressor: Record<string, unknown>;
};
const rows = [...randomRows(60, 3, 17, 2), [Number.NaN, 0, 1], [0.25, -0.5, 1.125], [1, Number.NaN, 2]];

describe('reading tree ensembles written by onnx (Python)', () => {
  it('decodes the model envelope', () => {
    const model = readOnnxModel(readFileSync(fixture('foreign-classifier.onnx')));
    assert.equal(model.irVersion, 8);
    assert.equal(model.producerName, 'onnx-python');
    assert.deepEqual(model.opsetImports, [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
    assert.deepEqual(model.graph.inputs[0], {
      name: 'input',
      type: { kind: 'tensor', elemType: 'float', shape: ['N', 3] },
    });
  });

  it('classifier: *_as_tensor attributes, modes, missing tracks and hitrates come back as set', async () => {
    const bytes = readFileSync(fixture('foreign-classifier.onnx'));
    const attrs = readTreeEnsemble(readOnnxModel(bytes));
    assert.deepEqual({ ...attrs }, { op: 'TreeEnsembleClassifier', ...expected.classifier });
    const ort = await runWithOrt(bytes, rows);
    const ours = evaluateTreeEnsemble(attrs, rows);
    assert.deepEqual(ort.label!.data, ours.labels);
    assertClose(ort.probabilities!.data as number[], ours.scores.flat(), 1e-5, 1e-6);
  });

  it('regressor: two targets averaged over trees with base values', async () => {
    const bytes = readFileSync(fixture('foreign-regressor.onnx'));
    const attrs = readTreeEnsemble(readOnnxModel(bytes));
    assert.deepEqual(attrs, {
      op: 'TreeEnsembleRegressor',
      ...expected.regressor,
      nodes_missing_value_tracks_true: [0, 0, 0, 0, 0, 0],
      post_transform: 'NONE',
    });
    const ort = await runWithOrt(bytes, rows);
    assertClose(ort.variable!.data as number[], evaluateTreeEnsemble(attrs, rows).scores.flat(), 1e-6, 1e-6);
  });
});
