// The real node factory on nodes written as ES modules (routers, transformers, combiners), and the
// parsing of remote model URLs.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { validateDeploymentSpec } from '../deployment/index.js';
import { loadDeployment } from './deployment.js';
import { createNodeFactory, parseOipModelUrl } from './node-factory.js';
import { request, values } from './test-support/fake-nodes.js';

// A router class configured by load(parameters), a plain-object transformer, a combiner export.
const MODULE = `
export default class ThresholdRouter {
  async load(parameters) { this.threshold = parameters.threshold; }
  route(inputs) { return inputs.x.data[0] > this.threshold ? 1 : 0; }
}
const scale = (k) => (inputs) => ({ y: { datatype: 'FP64', shape: inputs.x.shape, data: Array.from(inputs.x.data, (v) => v * k) } });
export const small = { predict: scale(1) };
export const large = { predict: scale(100) };
export const sum = { aggregate: (outputs) => ({ y: { datatype: 'FP64', shape: [1], data: [outputs.reduce((s, o) => s + o.y.data[0], 0)] } }) };
export const nothing = { hello: 1 };
`;

describe('node factory: ES module nodes', () => {
  let dir: string;
  const factory = () => createNodeFactory({ fetch: { cacheDir: join(dir, 'cache') }, baseDir: dir });
  const deployGraph = (graph: Record<string, unknown>) =>
    loadDeployment(validateDeploymentSpec({ name: 'modules', graph }), { factory: factory() });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'osprey-node-factory-'));
    await writeFile(join(dir, 'nodes.mjs'), MODULE);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('instantiates a class export, calls load(parameters), and uses named exports as nodes', async () => {
    const deployment = await deployGraph({
      name: 'router',
      type: 'router',
      module: 'nodes.mjs',
      parameters: { threshold: 5 },
      children: [
        { name: 'small', type: 'transformer', module: 'nodes.mjs', export: 'small' },
        { name: 'large', type: 'transformer', module: 'nodes.mjs', export: 'large' },
      ],
    });
    const low = await deployment.infer(request('low', [3]));
    const high = await deployment.infer(request('high', [7]));
    assert.deepEqual([values(low, 'y'), low.routing], [[3], { router: 0 }]);
    assert.deepEqual([values(high, 'y'), high.routing], [[700], { router: 1 }]);
  });

  it('runs a module combiner over every child', async () => {
    const deployment = await deployGraph({
      name: 'sum',
      type: 'combiner',
      module: 'nodes.mjs',
      export: 'sum',
      children: [
        { name: 'small', type: 'transformer', module: 'nodes.mjs', export: 'small' },
        { name: 'large', type: 'transformer', module: 'nodes.mjs', export: 'large' },
      ],
    });
    assert.deepEqual(values(await deployment.infer(request('q', [2])), 'y'), [202]);
  });

  it('names the module and the export when a node cannot be loaded', async () => {
    await rejectsWith(
      deployGraph({ name: 't', type: 'transformer', module: 'missing.mjs' }),
      'NOT_FOUND',
      /node 't' failed to load: module not found: .*missing\.mjs/,
    );
    await rejectsWith(
      deployGraph({ name: 't', type: 'transformer', module: 'nodes.mjs', export: 'nothing' }),
      'INVALID_ARGUMENT',
      /export 'nothing' must be an object or class with one of predict/,
    );
    await rejectsWith(
      deployGraph({
        name: 'r',
        type: 'router',
        module: 'nodes.mjs',
        export: 'small',
        children: [{ name: 'c', type: 'transformer', module: 'nodes.mjs', export: 'small' }],
      }),
      'INVALID_ARGUMENT',
      /node 'r' \(router\): its code has no route\(\) method/,
    );
  });
});

describe('parseOipModelUrl', () => {
  it('splits an OIP model URL into server, model and version', () => {
    assert.deepEqual(parseOipModelUrl('http://scorer:8080/v2/models/fraud'), {
      url: 'http://scorer:8080',
      model: 'fraud',
    });
    assert.deepEqual(parseOipModelUrl('https://gw.example/ml/v2/models/fr%20aud/versions/3/'), {
      url: 'https://gw.example/ml',
      model: 'fr aud',
      version: '3',
    });
    assert.throws(
      () => parseOipModelUrl('http://scorer:8080/v1/models/fraud:predict'),
      /not an Open Inference Protocol model URL/,
    );
  });
});
