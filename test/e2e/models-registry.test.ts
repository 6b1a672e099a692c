// The Models issue's "done when": a model from every trainer, and a TF.js, a js and a remote (Open
// Inference Protocol) model, goes train → package → log in a run → register → @champion → fetch by
// models:/ URI → load → predict, on the embedded store, and predicts what the source model itself
// predicts. One model is also loaded through every other kind of URI (models:/name/version, runs:/,
// a local path, a file: URL).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createOsprey, type Osprey } from '../../src/app/index.js';
import { createEmbeddedClient, type OspreyClient, registerModel, startRun } from '../../src/client/index.js';
import { resolveConfig } from '../../src/config/index.js';
import {
  type ClassificationModel,
  type FetchModelDeps,
  fetchModel,
  type JsModel,
  loadPredictor,
  logModel,
  makeBlobs,
  makeLinear,
  makeMoons,
  type NamedTensors,
  type RegressionModel,
  tfjsDirectorySaver,
  trainDecisionTreeClassifier,
  trainDecisionTreeRegressor,
  trainGradientBoostingClassifier,
  trainGradientBoostingRegressor,
  trainLinearRegression,
  trainLogisticRegression,
  trainMlpClassifier,
  trainMlpRegressor,
  trainRandomForestClassifier,
  trainRandomForestRegressor,
  writeModelPackage,
  writeTrainedModelPackage,
} from '../../src/models/index.js';
import { startOipServer } from '../../src/models/runtime/test-support/oip-server.js';

// Test rows are rounded to float32 first, so the trainer (float64) and the ONNX graph (float32) see
// the same inputs; what remains is float32 arithmetic in the graph.
const f32 = (rows: number[][]) => rows.map((r) => r.map(Math.fround));
const close = (actual: number, expected: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= 1e-5 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );

const blobs = makeBlobs({ nSamples: 240, nFeatures: 4, centers: 3, clusterStd: 2.5, seed: 11 });
const blobsTest = f32(makeBlobs({ nSamples: 60, nFeatures: 4, centers: 3, clusterStd: 2.5, seed: 12 }).X);
const moons = makeMoons({ nSamples: 200, noise: 0.25, seed: 13 });
const moonsTest = f32(makeMoons({ nSamples: 60, noise: 0.25, seed: 14 }).X);
const linear = makeLinear({ nSamples: 200, nFeatures: 4, noise: 0.5, intercept: 3, seed: 15 });
const linearTest = f32(makeLinear({ nSamples: 60, nFeatures: 4, seed: 16 }).X);

interface Case {
  name: string;
  model: () => ClassificationModel | RegressionModel;
  test: number[][];
}

const CASES: Case[] = [
  { name: 'logistic', model: () => trainLogisticRegression(blobs.X, blobs.y), test: blobsTest },
  { name: 'linear', model: () => trainLinearRegression(linear.X, linear.y), test: linearTest },
  {
    name: 'tree',
    model: () => trainDecisionTreeClassifier(blobs.X, blobs.y, { maxDepth: 5 }),
    test: blobsTest,
  },
  {
    name: 'tree-regressor',
    model: () => trainDecisionTreeRegressor(linear.X, linear.y, { maxDepth: 5 }),
    test: linearTest,
  },
  {
    name: 'forest',
    model: () => trainRandomForestClassifier(blobs.X, blobs.y, { nEstimators: 15, seed: 3 }),
    test: blobsTest,
  },
  {
    name: 'forest-regressor',
    model: () => trainRandomForestRegressor(linear.X, linear.y, { nEstimators: 15, seed: 3 }),
    test: linearTest,
  },
  {
    name: 'boosting',
    model: () => trainGradientBoostingClassifier(moons.X, moons.y, { nEstimators: 30, maxDepth: 3 }),
    test: moonsTest,
  },
  {
    name: 'boosting-regressor',
    model: () => trainGradientBoostingRegressor(linear.X, linear.y, { nEstimators: 30, maxDepth: 3 }),
    test: linearTest,
  },
  {
    name: 'mlp',
    model: () =>
      trainMlpClassifier(blobs.X, blobs.y, {
        hiddenLayers: [16, 8],
        epochs: 30,
        learningRate: 0.01,
        seed: 5,
      }),
    test: blobsTest,
  },
  {
    name: 'mlp-regressor',
    model: () =>
      trainMlpRegressor(linear.X, linear.y, { hiddenLayers: [16], epochs: 30, learningRate: 0.01, seed: 5 }),
    test: linearTest,
  },
];

const matrix = (rows: number[][]): NamedTensors => ({
  input: { datatype: 'FP32', shape: [rows.length, rows[0]!.length], data: Float32Array.from(rows.flat()) },
});

// Asserts that served outputs are what the trainer itself predicts on `rows`.
function assertLikeTrainer(
  out: NamedTensors,
  model: ClassificationModel | RegressionModel,
  rows: number[][],
) {
  if ('classes' in model) {
    assert.deepEqual(Object.keys(out).sort(), ['label', 'probabilities']);
    const labels = Array.from(out.label!.data as BigInt64Array, Number);
    assert.deepEqual(labels, model.predict(rows));
    assert.ok(new Set(labels).size > 1, 'the test rows span several classes');
    const expected = model.predictProba(rows);
    assert.deepEqual(out.probabilities!.shape, [rows.length, model.classes.length]);
    const probabilities = out.probabilities!.data as Float32Array;
    for (const [i, p] of expected.flat().entries()) close(probabilities[i]!, p, `probability ${i}`);
  } else {
    assert.deepEqual(out.variable!.shape, [rows.length, 1]);
    const values = out.variable!.data as Float32Array;
    for (const [i, v] of model.predict(rows).entries()) close(values[i]!, v, `value ${i}`);
  }
}

describe('models: package → run → registry @champion → predictor, on the embedded store', () => {
  let home: string;
  let osprey: Osprey;
  let client: OspreyClient;
  let deps: FetchModelDeps;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'osprey-models-e2e-'));
    osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }));
    client = createEmbeddedClient(osprey);
    deps = {
      cacheDir: join(home, '.osprey', 'models'),
      tracking: client,
      resolveModel: (uri) => client.resolveModel(uri),
    };
  });
  after(async () => {
    await osprey.close();
    await rm(home, { recursive: true, force: true });
  });

  // Logs the package in a new run, registers it, points @champion at it, and fetches what
  // models:/<name>@champion points at.
  async function publish(name: string, packageDir: string) {
    const run = await startRun(client, {
      experimentName: 'models-e2e',
      runName: name,
      recordSource: false,
      endOnExit: false,
    });
    const logged = await logModel(client, run.runId, 'model', packageDir);
    await run.end();
    const version = await registerModel(client, logged.uri, name);
    await client.setModelAlias(name, 'champion', version.version);
    const fetched = await fetchModel(`models:/${name}@champion`, deps);
    assert.equal(fetched.source, logged.uri);
    assert.equal(fetched.runId, run.runId);
    return { fetched, runUri: logged.uri, version: version.version };
  }

  const publishAndLoad = async (name: string, packageDir: string) =>
    loadPredictor((await publish(name, packageDir)).fetched.dir);

  describe('every trainer (ONNX)', { concurrency: 3 }, () => {
    for (const c of CASES) {
      it(`${c.name}: served predictions equal the trainer's own`, async () => {
        const model = c.model();
        const staging = await mkdtemp(join(tmpdir(), `osprey-models-e2e-${c.name}-`));
        try {
          const { dir } = await writeTrainedModelPackage(model, join(staging, 'model'), {
            metadata: { framework: 'osprey-trainers' },
          });
          const predictor = await publishAndLoad(c.name, dir);
          try {
            assertLikeTrainer(await predictor.predict(matrix(c.test)), model, c.test);
          } finally {
            await predictor.unload();
          }
        } finally {
          await rm(staging, { recursive: true, force: true });
        }
      });
    }
  });

  it('models:/name@alias, models:/name/version, runs:/, a local path and a file: URL load the same model', async () => {
    const model = trainRandomForestClassifier(blobs.X, blobs.y, { nEstimators: 10, seed: 4 });
    const staging = await mkdtemp(join(tmpdir(), 'osprey-models-e2e-uris-'));
    try {
      const { dir } = await writeTrainedModelPackage(model, join(staging, 'model'));
      const { fetched, runUri, version } = await publish('uris', dir);
      const uris = [`models:/uris/${version}`, runUri, dir, pathToFileURL(dir).href];
      for (const uri of uris) {
        const again = await fetchModel(uri, deps);
        // A registry or run URI lands in the same verified cache entry; a path is used where it is.
        assert.equal(again.dir, uri === runUri || uri.startsWith('models:') ? fetched.dir : dir, uri);
        const predictor = await loadPredictor(again.dir);
        try {
          assertLikeTrainer(await predictor.predict(matrix(blobsTest)), model, blobsTest);
        } finally {
          await predictor.unload();
        }
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });

  it("a remote model (Open Inference Protocol server): served predictions equal the server's own answers", async () => {
    const weights = [0.5, -2, 1.25, 0.1];
    const server = await startOipServer([{ name: 'linear', version: '2', weights, bias: 0.75 }]);
    const staging = await mkdtemp(join(tmpdir(), 'osprey-models-e2e-remote-'));
    try {
      const { dir } = await writeModelPackage(join(staging, 'model'), {
        flavor: 'remote',
        remote: { url: server.url, model: 'linear', version: '2' },
        signature: {
          inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 4], columns: ['a', 'b', 'c', 'd'] }],
          outputs: [{ name: 'y', datatype: 'FP64', shape: [-1] }],
        },
        metadata: { framework: 'oip' },
      });
      const predictor = await publishAndLoad('oip-remote', dir);
      try {
        const rows = linearTest;
        const out = await predictor.predict({
          x: { datatype: 'FP64', shape: [rows.length, 4], data: Float64Array.from(rows.flat()) },
        });
        // The source model here is the server: ask it directly, as any OIP client would.
        const response = await fetch(`${server.url}/v2/models/linear/versions/2/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            inputs: [{ name: 'x', datatype: 'FP64', shape: [rows.length, 4], data: rows.flat() }],
          }),
        });
        const direct = (await response.json()) as { outputs: { name: string; data: number[] }[] };
        const y = direct.outputs.find((o) => o.name === 'y')!.data;
        assert.deepEqual(Object.keys(out), ['y']);
        assert.deepEqual(out.y!.shape, [rows.length]);
        assert.deepEqual(Array.from(out.y!.data as Float64Array), y);
        for (const [i, r] of rows.entries()) {
          close(
            y[i]!,
            r.reduce((s, v, j) => s + v * weights[j]!, 0.75),
            `y ${i}`,
          );
        }
      } finally {
        await predictor.unload();
      }
    } finally {
      await server.close();
      await rm(staging, { recursive: true, force: true });
    }
  });

  it('a TF.js layers model: served predictions equal the source model', async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    const source = tf.sequential({
      layers: [
        tf.layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    // Fixed weights (no random initialiser state): a deterministic sine pattern.
    source.setWeights(
      source.getWeights().map((w) =>
        tf.tensor(
          Array.from({ length: w.size }, (_, i) => Math.sin(i + w.size)),
          w.shape,
        ),
      ),
    );
    const staging = await mkdtemp(join(tmpdir(), 'osprey-models-e2e-tfjs-'));
    try {
      const saved = join(staging, 'saved');
      await source.save(tfjsDirectorySaver(tf, saved));
      const { dir } = await writeModelPackage(join(staging, 'model'), {
        flavor: 'tfjs',
        tfjs: { format: 'layers' },
        files: {
          'model.json': { file: join(saved, 'model.json') },
          'weights.bin': { file: join(saved, 'weights.bin') },
        },
        signature: {
          inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
          outputs: [{ name: 'scores', datatype: 'FP32', shape: [-1, 3] }],
        },
        metadata: { framework: 'tfjs' },
      });
      const predictor = await publishAndLoad('tfjs-layers', dir);
      try {
        const out = await predictor.predict(matrix(blobsTest));
        const expected = source.predict(tf.tensor2d(blobsTest)) as tf.Tensor;
        assert.deepEqual(out.scores!.shape, expected.shape);
        assert.deepEqual(Array.from(out.scores!.data as Float32Array), Array.from(expected.dataSync()));
        expected.dispose();
      } finally {
        await predictor.unload();
      }
    } finally {
      source.dispose();
      await rm(staging, { recursive: true, force: true });
    }
  });

  it('a js model (module with load/predict): served predictions equal the module run directly', async () => {
    // A scorer with pre-processing: standardises with stats from the package, then a linear score.
    const module = `
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
export default {
  async load(dir) {
    this.params = JSON.parse(await readFile(join(dir, 'params.json'), 'utf8'));
  },
  predict({ input }) {
    const { mean, scale, weights, bias } = this.params;
    const [n, f] = input.shape;
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = bias;
      for (let j = 0; j < f; j++) s += weights[j] * ((input.data[i * f + j] - mean[j]) / scale[j]);
      score[i] = s;
    }
    return { score: { datatype: 'FP64', shape: [n], data: score } };
  },
};
`;
    const params = {
      mean: [0.1, -0.2, 0, 0.3],
      scale: [1.5, 0.5, 2, 1],
      weights: [0.7, -1.1, 0.25, 2],
      bias: -0.4,
    };
    const staging = await mkdtemp(join(tmpdir(), 'osprey-models-e2e-js-'));
    try {
      const source = join(staging, 'source');
      const { dir } = await writeModelPackage(source, {
        flavor: 'js',
        files: { 'model.mjs': module, 'params.json': JSON.stringify(params) },
        signature: {
          inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
          outputs: [{ name: 'score', datatype: 'FP64', shape: [-1] }],
        },
      });
      const direct = (await import(pathToFileURL(join(dir, 'model.mjs')).href)) as { default: JsModel };
      await direct.default.load?.(dir);
      const predictor = await publishAndLoad('js-scorer', dir);
      try {
        const out = await predictor.predict(matrix(linearTest));
        const expected = await direct.default.predict(matrix(linearTest));
        assert.deepEqual(out.score!.shape, [linearTest.length]);
        assert.deepEqual(
          Array.from(out.score!.data as Float64Array),
          Array.from(expected.score!.data as Float64Array),
        );
      } finally {
        await predictor.unload();
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
});
