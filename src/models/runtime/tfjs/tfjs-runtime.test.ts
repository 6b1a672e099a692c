import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { OspreyError } from '../../../errors/index.js';
import { type Signature, writeModelPackage } from '../../package/index.js';
import { createPredictor, loadPredictor, tfjsDirectorySaver, toRows, toTensors } from '../index.js';

const code =
  (c: string, pattern = /./) =>
  (e: unknown) =>
    e instanceof OspreyError && e.code === c && pattern.test(e.message);

const X = [
  [0.5, -1, 2, 0.25],
  [1.5, 0.5, -0.5, -2],
  [-1, 1, 0, 1],
];

describe('TF.js runtime', () => {
  let root: string;
  let source: tf.Sequential;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'osprey-tfjs-'));
    tf.enableProdMode();
    await tf.setBackend('cpu');
    // A tiny layers model with fixed weights: 4 → 3 (relu) → 2 (softmax).
    source = tf.sequential({
      layers: [
        tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    const values = [
      [0.2, -0.5, 0.1, 0.4, 0.3, -0.2, -0.6, 0.8, 0.5, 0.1, 0.7, -0.3],
      [0.05, -0.1, 0.2],
      [0.9, -0.4, -0.7, 0.6, 0.3, 0.2],
      [0.1, -0.1],
    ];
    source.setWeights(source.getWeights().map((w, i) => tf.tensor(values[i]!, w.shape)));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('saves a layers model to a directory and predicts exactly what the source model predicts', async () => {
    const saved = join(root, 'saved');
    await source.save(tfjsDirectorySaver(tf, saved));
    assert.deepEqual((await readdir(saved)).sort(), ['model.json', 'weights.bin']);
    const signature: Signature = {
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4], columns: ['a', 'b', 'c', 'd'] }],
      outputs: [{ name: 'scores', datatype: 'FP32', shape: [-1, 2], columns: ['no', 'yes'] }],
    };
    const { dir } = await writeModelPackage(join(root, 'layers'), {
      flavor: 'tfjs',
      tfjs: { format: 'layers' },
      files: {
        'model.json': { file: join(saved, 'model.json') },
        'weights.bin': { file: join(saved, 'weights.bin') },
      },
      signature,
    });
    const predictor = await loadPredictor(dir);
    try {
      const out = await predictor.predict({ features: { datatype: 'FP32', shape: [3, 4], data: X.flat() } });
      const expected = (source.predict(tf.tensor2d(X)) as tf.Tensor).dataSync();
      assert.deepEqual(out.scores!.shape, [3, 2]);
      assert.deepEqual(Array.from(out.scores!.data as Float32Array), Array.from(expected));
      const rows = toRows(
        await predictor.predict(toTensors([{ a: 0.5, b: -1, c: 2, d: 0.25 }], predictor.signature)),
        predictor.signature,
      );
      assert.deepEqual(Object.keys(rows[0]!), ['no', 'yes']);
      assert.equal(rows[0]!.yes, expected[1]);
      await assert.rejects(
        predictor.predict({ features: { datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] } }),
        code('INVALID_ARGUMENT', /input 'features': shape \[1, 3\] does not match the signature's \[-1, 4\]/),
      );
    } finally {
      await predictor.unload();
    }
  });

  it('refuses truncated weights, a broken topology and a mismatched shape, naming the file', async () => {
    const saved = join(root, 'saved3');
    await source.save(tfjsDirectorySaver(tf, saved));
    const pack = async (name: string, signature?: Signature) =>
      (
        await writeModelPackage(join(root, name), {
          flavor: 'tfjs',
          files: {
            'model.json': { file: join(saved, 'model.json') },
            'weights.bin': { file: join(saved, 'weights.bin') },
          },
          ...(signature ? { signature } : {}),
        })
      ).dir;
    const truncated = await pack('truncated');
    await truncate(join(truncated, 'weights.bin'), 20);
    // 4·3 + 3 + 3·2 + 2 float32 weights = 92 bytes.
    await assert.rejects(
      loadPredictor(truncated),
      code('INVALID_ARGUMENT', /model\.json are 20 bytes but its weightsManifest describes 92 \(truncated/),
    );
    const topology = await pack('topology');
    await writeFile(join(topology, 'model.json'), '{"modelTopology": {"foo": 1}, "weightsManifest": []}');
    await assert.rejects(
      loadPredictor(topology),
      code('INVALID_ARGUMENT', /topology\/model\.json is not a TF\.js layers model TF\.js can load: /),
    );
    const wide = await pack('wide', {
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 5] }],
      outputs: [],
    });
    await assert.rejects(
      loadPredictor(wide),
      code(
        'INVALID_ARGUMENT',
        /signature input 'x' has shape \[-1, 5\] but model\.json's input \S+ has \[-1, 4\]/,
      ),
    );
  });

  it('derives positional names when the manifest has no signature', async () => {
    const saved = join(root, 'saved2');
    await source.save(tfjsDirectorySaver(tf, saved));
    const { dir } = await writeModelPackage(join(root, 'layers-bare'), {
      flavor: 'tfjs',
      files: {
        'model.json': { file: join(saved, 'model.json') },
        'weights.bin': { file: join(saved, 'weights.bin') },
      },
    });
    const predictor = await loadPredictor(dir);
    try {
      assert.deepEqual(predictor.signature, {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 2] }],
      });
      const out = await predictor.predict({ input: { datatype: 'FP32', shape: [1, 4], data: X[0]! } });
      assert.equal(out.output!.data.length, 2);
    } finally {
      await predictor.unload();
    }
  });

  it('runs a graph model (a hand-written GraphDef: sigmoid(x·w + b)) by node names', async () => {
    const w = [0.5, -1.25, 2];
    const b = 0.1;
    const dim = (...sizes: number[]) => ({ dim: sizes.map((s) => ({ size: String(s) })) });
    const float = { type: 'DT_FLOAT' };
    const modelJson = {
      format: 'graph-model',
      generatedBy: 'hand-written',
      convertedBy: 'osprey test',
      modelTopology: {
        node: [
          { name: 'x', op: 'Placeholder', attr: { dtype: float, shape: { shape: dim(-1, 3) } } },
          {
            name: 'w',
            op: 'Const',
            attr: { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dim(3, 1) } } },
          },
          {
            name: 'b',
            op: 'Const',
            attr: { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dim(1) } } },
          },
          {
            name: 'logit',
            op: 'MatMul',
            input: ['x', 'w'],
            attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } },
          },
          { name: 'z', op: 'Add', input: ['logit', 'b'], attr: { T: float } },
          { name: 'prob', op: 'Sigmoid', input: ['z'], attr: { T: float } },
        ],
        versions: { producer: 1 },
      },
      weightsManifest: [
        {
          paths: ['weights.bin'],
          weights: [
            { name: 'w', shape: [3, 1], dtype: 'float32' },
            { name: 'b', shape: [1], dtype: 'float32' },
          ],
        },
      ],
    };
    const { dir } = await writeModelPackage(join(root, 'graph'), {
      flavor: 'tfjs',
      tfjs: { format: 'graph' },
      files: {
        'model.json': JSON.stringify(modelJson),
        'weights.bin': new Uint8Array(new Float32Array([...w, b]).buffer),
      },
    });
    const predictor = await loadPredictor(dir);
    try {
      assert.deepEqual(predictor.signature, {
        inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
        // The GraphDef records no output shapes: unknown rank is reported as [-1].
        outputs: [{ name: 'prob', datatype: 'FP32', shape: [-1] }],
      });
      const rows = X.map((r) => r.slice(0, 3));
      const out = await predictor.predict({ x: { datatype: 'FP32', shape: [3, 3], data: rows.flat() } });
      const expected = rows.map((r) => 1 / (1 + Math.exp(-(r.reduce((s, v, j) => s + v * w[j]!, 0) + b))));
      (out.prob!.data as Float32Array).forEach((p, i) => {
        assert.ok(Math.abs(p - expected[i]!) < 1e-6, `${p} vs ${expected[i]}`);
      });
    } finally {
      await predictor.unload();
    }

    // A signature whose input datatype the graph's placeholder cannot take is refused at load.
    const bad = await writeModelPackage(join(root, 'graph-bad'), {
      flavor: 'tfjs',
      tfjs: { format: 'graph' },
      files: { 'model.json': JSON.stringify(modelJson), 'weights.bin': new Uint8Array(16) },
      signature: {
        inputs: [{ name: 'x', datatype: 'BYTES', shape: [-1, 3] }],
        outputs: [],
      },
    });
    await assert.rejects(
      (await createPredictor(bad.dir)).load(),
      code('INVALID_ARGUMENT', /signature input 'x' is BYTES, which model.json's float32 input cannot take/),
    );
    await writeFile(join(bad.dir, 'model.json'), '{"weightsManifest": []}');
    await assert.rejects(
      (await createPredictor(bad.dir)).load(),
      code('INVALID_ARGUMENT', /no modelTopology/),
    );
  });
});
