import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDeploymentSpec } from '../deployment/index.js';
import { movingModels, pinModels } from './model-pins.js';

const spec = validateDeploymentSpec({
  name: 'fraud',
  variants: [
    { name: 'main', graph: { name: 'champion', type: 'model', model: 'models:/fraud@champion' } },
    {
      name: 'canary',
      graph: {
        name: 'ensemble',
        type: 'combiner',
        combiner: 'mean',
        children: [
          { name: 'a', type: 'model', model: 'models:/fraud@champion' },
          { name: 'b', type: 'model', model: 'models:/fraud/Production' },
          { name: 'c', type: 'model', model: 'models:/fraud/7' },
          { name: 'd', type: 'model', model: 'runs:/abc/model' },
        ],
      },
    },
  ],
  traffic: { policy: 'canary', main: 'main', canary: 'canary', percent: 10 },
});

describe('model pins', () => {
  it('finds the model URIs that can move: aliases and stages, not fixed versions or runs', () => {
    assert.deepEqual(movingModels(spec), [
      { node: 'champion', uri: 'models:/fraud@champion' },
      { node: 'a', uri: 'models:/fraud@champion' },
      { node: 'b', uri: 'models:/fraud/Production' },
    ]);
  });

  it('resolves each moving URI once and rewrites the spec to the exact versions', async () => {
    const asked: string[] = [];
    const versions: Record<string, number> = { 'models:/fraud@champion': 3, 'models:/fraud/Production': 2 };
    const { spec: pinned, pins } = await pinModels(spec, async (uri) => {
      asked.push(uri);
      return { version: versions[uri]! };
    });
    assert.deepEqual(asked.sort(), ['models:/fraud/Production', 'models:/fraud@champion']);
    assert.deepEqual(
      pins.map((p) => [p.node, p.version]),
      [
        ['champion', '3'],
        ['a', '3'],
        ['b', '2'],
      ],
    );
    assert.equal(pinned.variants![0]!.graph.model, 'models:/fraud/3');
    assert.deepEqual(
      pinned.variants![1]!.graph.children!.map((c) => c.model),
      ['models:/fraud/3', 'models:/fraud/2', 'models:/fraud/7', 'runs:/abc/model'],
    );
    assert.equal(spec.variants![0]!.graph.model, 'models:/fraud@champion', 'the original spec is untouched');
  });
});
