import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OspreyError } from '../../../errors/index.js';
import { writeModelPackage } from '../../package/index.js';
import { createPredictor, loadPredictor, toRows } from '../index.js';

const code =
  (c: string, pattern = /./) =>
  (e: unknown) =>
    e instanceof OspreyError && e.code === c && pattern.test(e.message);

// A custom model with pre- and post-processing: loads a vocabulary from the package, splits text
// into words, reports the word count and the share of known words; writes a marker on unload.
const CLASS_MODULE = `
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
export default class WordModel {
  async load(dir) {
    this.dir = dir;
    this.vocab = new Set((await readFile(join(dir, 'vocab.txt'), 'utf8')).split('\\n').filter(Boolean));
  }
  predict({ text }) {
    const words = text.data.map((t) => t.toLowerCase().split(/\\W+/).filter(Boolean));
    return {
      count: { datatype: 'INT32', shape: [words.length], data: words.map((w) => w.length) },
      known: { datatype: 'FP32', shape: [words.length], data: words.map((w) => w.filter((x) => this.vocab.has(x)).length / (w.length || 1)) },
    };
  }
  async unload() {
    await writeFile(join(this.dir, 'unloaded.txt'), 'yes');
  }
}
`;

describe('js runtime', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'osprey-js-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('loads a class from the package module, runs it and unloads it', async () => {
    const { dir } = await writeModelPackage(join(root, 'words'), {
      flavor: 'js',
      files: { 'model.mjs': CLASS_MODULE, 'vocab.txt': 'the\ncat\nsat\n' },
      signature: {
        inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }],
        outputs: [
          { name: 'count', datatype: 'INT64', shape: [-1] },
          { name: 'known', datatype: 'FP32', shape: [-1] },
        ],
      },
    });
    const predictor = await loadPredictor(dir);
    const out = await predictor.predict({
      text: { datatype: 'BYTES', shape: [2], data: ['The cat sat on the mat.', 'Zebras!'] },
    });
    // count comes back as INT32 and is converted to the INT64 the signature declares.
    assert.equal(out.count!.datatype, 'INT64');
    assert.deepEqual(Array.from(out.count!.data as BigInt64Array), [6n, 1n]);
    assert.deepEqual(Array.from(out.known!.data as Float32Array), [Math.fround(4 / 6), 0]);
    assert.deepEqual(toRows(out), [
      { count: 6, known: Math.fround(4 / 6) },
      { count: 1, known: 0 },
    ]);
    await assert.rejects(
      predictor.predict({ text: { datatype: 'BYTES', shape: [1], data: [3] as never } }),
      code('INVALID_ARGUMENT', /input 'text': element 0 is 3, expected a string/),
    );
    await predictor.unload();
    assert.equal(await readFile(join(dir, 'unloaded.txt'), 'utf8'), 'yes');
  });

  it('takes a named object export with its own signature', async () => {
    const module = `export const scaler = {
      signature: { inputs: [{ name: 'x', datatype: 'FP64', shape: [-1] }], outputs: [{ name: 'y', datatype: 'FP64', shape: [-1] }] },
      predict: async ({ x }) => ({ y: { datatype: 'FP64', shape: x.shape, data: Array.from(x.data, (v) => v * 2) } }),
    };`;
    const { dir } = await writeModelPackage(join(root, 'scaler'), {
      flavor: 'js',
      js: { module: 'lib/scale.mjs', export: 'scaler' },
      files: { 'lib/scale.mjs': module },
    });
    const predictor = await loadPredictor(dir);
    assert.equal(predictor.signature?.inputs[0]?.name, 'x');
    const out = await predictor.predict({ x: { datatype: 'FP64', shape: [3], data: [1, 2.5, -1] } });
    assert.deepEqual(Array.from(out.y!.data as Float64Array), [2, 5, -2]);
    await assert.rejects(
      predictor.predict({ z: { datatype: 'FP64', shape: [1], data: [1] } }),
      code('INVALID_ARGUMENT', /unknown input 'z'/),
    );
  });

  it('refuses a module without a model and reports a model that returns malformed outputs', async () => {
    const none = await writeModelPackage(join(root, 'none'), {
      flavor: 'js',
      files: { 'model.mjs': 'export const x = 1;' },
    });
    await assert.rejects(
      (await createPredictor(none.dir)).load(),
      code('INVALID_ARGUMENT', /export 'default' must be an object or class/),
    );
    const broken = async (name: string, source: string) =>
      (await writeModelPackage(join(root, name), { flavor: 'js', files: { 'model.mjs': source } })).dir;
    await assert.rejects(
      loadPredictor(await broken('syntax', 'export default { predict(inputs) { return inputs; ')),
      code('INVALID_ARGUMENT', /cannot import \S+syntax\/model\.mjs: SyntaxError: /),
    );
    await assert.rejects(
      loadPredictor(await broken('throws', 'throw new Error("no GPU");')),
      code('INVALID_ARGUMENT', /cannot import \S+throws\/model\.mjs: Error: no GPU/),
    );
    await assert.rejects(
      loadPredictor(
        await broken(
          'load',
          'export default { load() { throw new RangeError("no weights"); }, predict: (i) => i };',
        ),
      ),
      code('INVALID_ARGUMENT', /load\/model\.mjs: load\(\) failed: RangeError: no weights/),
    );
    const bad = await writeModelPackage(join(root, 'bad'), {
      flavor: 'js',
      files: {
        'model.mjs':
          "export default { predict: () => ({ y: { datatype: 'FP32', shape: [2], data: [1] } }) };",
      },
    });
    const predictor = await loadPredictor(bad.dir);
    await assert.rejects(
      predictor.predict({ x: { datatype: 'FP32', shape: [1], data: [1] } }),
      code('INTERNAL', /model output: output 'y': shape \[2\] needs 2 elements, data has 1/),
    );
  });
});
