import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OspreyError } from '../../../errors/index.js';
import { encodeOnnxModel, makeModel, makeNode, tensorValue } from '../../onnx/index.js';
import { readModelPackage, writeModelPackage } from '../../package/index.js';
import {
  createOnnxRuntime,
  createPredictor,
  loadPredictor,
  type OnnxRuntime,
  type Predictor,
  toRows,
  toTensors,
} from '../index.js';
import {
  flat,
  LR_SIGNATURE,
  lrProbabilities,
  seededRows,
  writeLrPackage,
} from '../test-support/onnx-fixtures.js';

const code =
  (c: string, pattern = /./) =>
  (e: unknown) =>
    e instanceof OspreyError && e.code === c && pattern.test(e.message);
const argmax = (v: number[]) => v.indexOf(Math.max(...v));

// float32 inference of x·Wᵀ + b and softmax: relative error ~1e-7, so 1e-5 absolute is ample.
function assertClose(actual: ArrayLike<number>, expected: number[], tol = 1e-5) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('ONNX runtime (worker threads)', () => {
  let root: string;
  let lrDir: string;
  let predictor: Predictor;
  let runtime: OnnxRuntime | undefined;
  const rows = seededRows(50, 3, 5);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'osprey-onnx-'));
    lrDir = (await writeLrPackage(join(root, 'lr'))).dir;
    // The runtime factory is overridden only to keep a handle on the pool (for the unload test).
    predictor = await loadPredictor(lrDir, {
      onnx: { workers: 2 },
      runtimes: { onnx: (pkg, options) => (runtime = createOnnxRuntime(pkg, options)) },
    });
  });
  after(async () => {
    await predictor.unload();
    await rm(root, { recursive: true, force: true });
  });

  it('predicts what the logistic regression computes, within float32 tolerance', async () => {
    const out = await predictor.predict({ input: { datatype: 'FP32', shape: [50, 3], data: flat(rows) } });
    const expected = lrProbabilities(rows);
    assert.deepEqual(out.probabilities!.shape, [50, 3]);
    assert.equal(out.probabilities!.datatype, 'FP32');
    assertClose(out.probabilities!.data as Float32Array, expected.flat());
    assert.equal(out.label!.datatype, 'INT64');
    assert.ok(out.label!.data instanceof BigInt64Array);
    assert.deepEqual(Array.from(out.label!.data as BigInt64Array, Number), expected.map(argmax));
  });

  it('accepts plain and nested JSON arrays as data', async () => {
    const out = await predictor.predict({
      input: { datatype: 'FP32', shape: [2, 3], data: rows.slice(0, 2).flat() },
    });
    const nested = await predictor.predict({
      input: { datatype: 'FP32', shape: [2, 3], data: rows.slice(0, 2) as unknown as number[] },
    });
    assert.deepEqual(nested.probabilities!.data, out.probabilities!.data);
  });

  it('maps rows through column names onto the input and outputs back to rows', async () => {
    const records = rows.slice(0, 4).map(([a, b, c]) => ({ c, b, a, ignored: 'x' }));
    const tensors = toTensors(records, predictor.signature);
    assert.deepEqual(tensors.input!.shape, [4, 3]);
    const back = toRows(await predictor.predict(tensors), predictor.signature);
    const expected = lrProbabilities(rows.slice(0, 4));
    back.forEach((row, i) => {
      assert.equal(row.label, argmax(expected[i]!));
      assertClose(row.probabilities as number[], expected[i]!);
    });
  });

  it('rejects inputs that do not fit the signature, naming the input and the expectation', async () => {
    const good = { datatype: 'FP32' as const, shape: [1, 3], data: [1, 2, 3] };
    const cases: [unknown, RegExp][] = [
      [{ features: good }, /unknown input 'features' \(the model takes: input\)/],
      [{}, /missing input 'input' \(FP32 \[-1, 3\]\)/],
      [
        { input: { ...good, datatype: 'FP64' } },
        /input 'input': datatype FP64 does not match the signature's FP32/,
      ],
      [
        { input: { ...good, shape: [1, 4], data: [1, 2, 3, 4] } },
        /input 'input': shape \[1, 4\] does not match the signature's \[-1, 3\]/,
      ],
      [{ input: { ...good, shape: [3] } }, /shape \[3\] does not match the signature's \[-1, 3\]/],
      [{ input: { ...good, shape: [2, 3] } }, /input 'input': shape \[2, 3\] needs 6 elements, data has 3/],
      [{ input: { ...good, data: [1, 'x', 3] } }, /input 'input': element 1 is "x", expected a number/],
    ];
    for (const [inputs, pattern] of cases) {
      await assert.rejects(predictor.predict(inputs as never), code('INVALID_ARGUMENT', pattern));
    }
    assert.throws(
      () => toTensors([{ a: 1, b: 2 }], predictor.signature),
      code('INVALID_ARGUMENT', /needs column 'c'/),
    );
  });

  it('runs concurrent predictions on two workers without mixing them up', async () => {
    const batches = Array.from({ length: 12 }, (_, k) => seededRows(5 + k, 3, 100 + k));
    const results = await Promise.all(
      batches.map((b) =>
        predictor.predict({ input: { datatype: 'FP32', shape: [b.length, 3], data: flat(b) } }),
      ),
    );
    results.forEach((out, k) => {
      assertClose(out.probabilities!.data as Float32Array, lrProbabilities(batches[k]!).flat());
    });
  });

  it('reads the signature from the model when the manifest has none, and checks a declared one', async () => {
    const bare = await loadPredictor((await writeLrPackage(join(root, 'bare'), null)).dir);
    try {
      assert.deepEqual(bare.signature, {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3] }],
        outputs: [
          { name: 'label', datatype: 'INT64', shape: [-1] },
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        ],
      });
    } finally {
      await bare.unload();
    }
    const wrong = { ...LR_SIGNATURE, inputs: [{ name: 'x', datatype: 'FP32' as const, shape: [-1, 3] }] };
    const mismatched = await createPredictor((await writeLrPackage(join(root, 'wrong'), wrong)).dir);
    await assert.rejects(
      mismatched.load(),
      code('INVALID_ARGUMENT', /signature input 'x' is not an input of \S*model\.onnx \(it has: input\)/),
    );
    assert.equal(mismatched.loaded, false);
    const broken = await writeModelPackage(join(root, 'broken'), {
      flavor: 'onnx',
      files: { 'model.onnx': 'nope' },
    });
    await assert.rejects(
      loadPredictor(broken.dir),
      code('INVALID_ARGUMENT', /model\.onnx is not a model onnxruntime can load: \w/),
    );
    const narrow = {
      ...LR_SIGNATURE,
      inputs: [{ name: 'input', datatype: 'FP32' as const, shape: [-1, 4] }],
    };
    await assert.rejects(
      loadPredictor((await writeLrPackage(join(root, 'narrow'), narrow)).dir),
      code(
        'INVALID_ARGUMENT',
        /signature input 'input' has shape \[-1, 4\] but \S*model\.onnx declares \[-1, 3\]/,
      ),
    );
  });

  it('carries BOOL, BYTES, FP64 and INT64 tensors through the worker both ways', async () => {
    const bytes = encodeOnnxModel(
      makeModel(
        {
          name: 'types',
          nodes: [
            makeNode('Not', ['flag'], ['not_flag']),
            makeNode('Identity', ['text'], ['same_text']),
            makeNode('Add', ['x', 'x'], ['twice']),
            makeNode('Neg', ['k'], ['neg_k']),
          ],
          initializers: [],
          inputs: [
            tensorValue('flag', 'bool', ['N']),
            tensorValue('text', 'string', ['N']),
            tensorValue('x', 'double', ['N']),
            tensorValue('k', 'int64', ['N']),
          ],
          outputs: [
            tensorValue('not_flag', 'bool', ['N']),
            tensorValue('same_text', 'string', ['N']),
            tensorValue('twice', 'double', ['N']),
            tensorValue('neg_k', 'int64', ['N']),
          ],
        },
        {},
        false,
      ),
    );
    const { dir } = await writeModelPackage(join(root, 'types'), {
      flavor: 'onnx',
      files: { 'model.onnx': bytes },
    });
    const typed = await loadPredictor(dir);
    try {
      const out = await typed.predict({
        flag: { datatype: 'BOOL', shape: [2], data: [true, false] },
        text: { datatype: 'BYTES', shape: [2], data: ['naïve', ''] },
        x: { datatype: 'FP64', shape: [2], data: [0.1, -2.5] },
        k: { datatype: 'INT64', shape: [2], data: [2 ** 53, -7] },
      });
      assert.deepEqual(out.not_flag, { datatype: 'BOOL', shape: [2], data: Uint8Array.from([0, 1]) });
      assert.deepEqual(out.same_text, { datatype: 'BYTES', shape: [2], data: ['naïve', ''] });
      assert.deepEqual(out.twice, { datatype: 'FP64', shape: [2], data: Float64Array.from([0.2, -5]) });
      assert.deepEqual(out.neg_k, {
        datatype: 'INT64',
        shape: [2],
        data: BigInt64Array.from([-(2n ** 53n), 7n]),
      });
    } finally {
      await typed.unload();
    }
  });

  it('unload terminates the workers and fails queued and later predictions', async () => {
    assert.equal(new Set(runtime!.threadIds).size, 2);
    const inputs = { input: { datatype: 'FP32' as const, shape: [1, 3], data: new Float32Array([1, 2, 3]) } };
    // 50 jobs on 2 workers holding 2 jobs each: at most 4 are posted when unload() starts, the rest
    // wait in the queue.
    const settling = Promise.allSettled(Array.from({ length: 50 }, () => predictor.predict(inputs)));
    await predictor.unload();
    assert.deepEqual(runtime!.threadIds, [], 'every worker has exited');
    const rejected = (await settling).filter((s) => s.status === 'rejected');
    assert.ok(rejected.length >= 46, `${rejected.length} rejected`);
    for (const s of rejected) assert.ok(code('UNAVAILABLE', /unloaded/)(s.reason), String(s.reason));
    await assert.rejects(predictor.predict(inputs), code('UNAVAILABLE', /not loaded/));
    const pkg = await readModelPackage(lrDir);
    assert.throws(() => createOnnxRuntime(pkg, { onnx: { intraOpNumThreads: 0 } }), code('INVALID_ARGUMENT'));
  });
});
