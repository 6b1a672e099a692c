// The real-model path: a deployment whose node is an ONNX model package, loaded by the real node
// factory into onnxruntime worker threads, with adaptive batching on.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  loadPredictor,
  mlpToOnnx,
  type NamedTensors,
  type Predictor,
  writeModelPackage,
} from '../../models/index.js';
import { createRng } from '../../random/index.js';
import { validateDeploymentSpec } from '../deployment/index.js';
import { type Deployment, loadDeployment } from './deployment.js';
import { createNodeFactory } from './node-factory.js';

const FEATURES = 4;

function mlpBytes(): Uint8Array {
  const rng = createRng(21);
  const layer = (nIn: number, nOut: number) => ({
    weights: Array.from({ length: nIn }, () => Array.from({ length: nOut }, () => rng.normal() * 0.5)),
    bias: Array.from({ length: nOut }, () => rng.normal() * 0.1),
  });
  return mlpToOnnx({ layers: [layer(FEATURES, 8), layer(8, 3)], activation: 'tanh', head: 'softmax' });
}

const row = (i: number): NamedTensors => ({
  input: {
    datatype: 'FP32',
    shape: [1, FEATURES],
    data: Float32Array.from({ length: FEATURES }, (_, j) => Math.sin(i + j)),
  },
});

describe('a deployment over a real ONNX model', () => {
  let root: string;
  let deployment: Deployment;
  let direct: Predictor;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'osprey-onnx-graph-'));
    const { dir } = await writeModelPackage(join(root, 'mlp'), {
      flavor: 'onnx',
      files: { 'model.onnx': mlpBytes() },
    });
    const spec = validateDeploymentSpec({
      name: 'mlp',
      graph: { name: 'scorer', type: 'model', model: dir, batching: { maxBatchSize: 8, maxBatchTimeMs: 5 } },
    });
    deployment = await loadDeployment(spec, {
      factory: createNodeFactory({ fetch: { cacheDir: join(root, 'cache') } }),
    });
    direct = await loadPredictor(dir);
  });
  after(async () => {
    await deployment?.unload();
    await direct?.unload();
    await rm(root, { recursive: true, force: true });
  });

  it('is ready and takes its signature from the model', () => {
    assert.equal(deployment.ready(), true);
    assert.deepEqual(
      deployment.signature.inputs.map((t) => t.name),
      ['input'],
    );
    assert.deepEqual(deployment.signature.outputs.map((t) => t.name).sort(), ['label', 'probabilities']);
  });

  it('batches concurrent requests and answers each exactly as the model does alone', async () => {
    const n = 24;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) => deployment.infer({ id: `q${i}`, inputs: row(i) })),
    );
    const stats = deployment.batchStats('scorer');
    assert.equal(stats.requests, n);
    assert.ok(stats.batches < n, `${stats.batches} batches for ${n} requests`);
    for (const [i, response] of responses.entries()) {
      const alone = await direct.predict(row(i));
      assert.deepEqual(response.outputs.probabilities!.shape, [1, 3]);
      const got = Array.from(response.outputs.probabilities!.data as Float32Array);
      const want = Array.from(alone.probabilities!.data as Float32Array);
      // Same float32 kernels on a different batch size: equal to rounding.
      for (const [k, v] of got.entries()) {
        assert.ok(Math.abs(v - want[k]!) < 1e-6, `request ${i}, class ${k}: ${v} vs ${want[k]}`);
      }
      assert.deepEqual(response.outputs.label!.data, alone.label!.data);
    }
  });

  it('refuses a request of the wrong width alone, without failing its batch-mates', async () => {
    const bad = {
      input: { datatype: 'FP32', shape: [1, 3], data: Float32Array.from([1, 2, 3]) },
    } as NamedTensors;
    const results = await Promise.allSettled([
      deployment.infer({ id: 'good', inputs: row(1) }),
      deployment.infer({ id: 'bad', inputs: bad }),
    ]);
    assert.equal(results[0]!.status, 'fulfilled');
    assert.equal(results[1]!.status, 'rejected');
    const error = (results[1] as PromiseRejectedResult).reason;
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.match(error.message, /node 'scorer'.*input 'input'/);
  });
});
