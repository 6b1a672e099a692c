import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import {
  MANIFEST_FILE,
  ospreyVersion,
  parseManifest,
  readInputExample,
  readModelPackage,
  type Signature,
  writeModelPackage,
} from './index.js';

const code = (c: string) => (e: unknown) => e instanceof OspreyError && e.code === c;
const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof OspreyError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);

const signature: Signature = {
  inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 2], columns: ['a', 'b'] }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
  ],
};

const VALID = `formatVersion: 1
flavor: onnx
onnx: { file: model.onnx }
signature:
  inputs: [{ name: input, datatype: FP32, shape: [-1, 2] }]
metadata: { createdAt: '2024-01-15T10:30:45.123Z', ospreyVersion: 0.1.0 }
`;

describe('model package write/read', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'osprey-pkg-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('round-trips an onnx package with signature, example, metadata and extra files', async () => {
    const bytes = new Uint8Array([8, 7, 18, 3]);
    const src = join(root, 'notes.txt');
    await writeFile(src, 'copied');
    const example = [{ a: 1.5, b: -2 }];
    const { dir, manifest } = await writeModelPackage(join(root, 'p1'), {
      flavor: 'onnx',
      files: { 'model.onnx': bytes, 'extra/readme.md': '# hi', 'notes.txt': { file: src } },
      signature,
      inputExample: example,
      metadata: {
        framework: 'osprey-trainers',
        runId: 'abc',
        datasetDigests: ['d1'],
        metrics: { auc: 0.91 },
      },
    });
    const pkg = await readModelPackage(dir);
    assert.deepEqual(pkg.manifest, manifest);
    assert.equal(pkg.manifest.flavor, 'onnx');
    assert.deepEqual(pkg.manifest.flavor === 'onnx' && pkg.manifest.onnx, { file: 'model.onnx' });
    assert.deepEqual(pkg.manifest.signature, signature);
    assert.equal(pkg.manifest.metadata.ospreyVersion, ospreyVersion());
    assert.match(pkg.manifest.metadata.createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(pkg.manifest.metadata.metrics, { auc: 0.91 });
    assert.deepEqual(await readInputExample(pkg), example);
    assert.deepEqual(new Uint8Array(await readFile(join(dir, 'model.onnx'))), bytes);
    assert.equal(await readFile(join(dir, 'extra/readme.md'), 'utf8'), '# hi');
    assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'copied');
    assert.match(await readFile(join(dir, MANIFEST_FILE), 'utf8'), /^formatVersion: 1\nflavor: onnx\n/);
  });

  it('infers the signature from the input example when none is given', async () => {
    const { manifest } = await writeModelPackage(join(root, 'p2'), {
      flavor: 'js',
      files: { 'model.mjs': 'export default {}' },
      inputExample: { columns: ['x', 'y'], data: [[1, 2]] },
    });
    assert.deepEqual(manifest.signature, {
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 2], columns: ['x', 'y'] }],
      outputs: [],
    });
    assert.deepEqual(manifest.flavor === 'js' && manifest.js, { module: 'model.mjs', export: 'default' });
  });

  it('writes remote and tfjs flavors with their defaults', async () => {
    const remote = await writeModelPackage(join(root, 'p3'), {
      flavor: 'remote',
      remote: { url: 'http://127.0.0.1:8080', model: 'iris', version: '2' },
    });
    assert.deepEqual((await readModelPackage(remote.dir)).manifest, remote.manifest);
    const tfjs = await writeModelPackage(join(root, 'p4'), { flavor: 'tfjs', files: { 'model.json': '{}' } });
    assert.deepEqual(tfjs.manifest.flavor === 'tfjs' && tfjs.manifest.tfjs, {
      file: 'model.json',
      format: 'layers',
    });
  });

  it('refuses a non-empty target, a missing model file, unsafe file names and a remote without url', async () => {
    await assert.rejects(
      writeModelPackage(join(root, 'p1'), { flavor: 'onnx', files: { 'model.onnx': 'x' } }),
      code('ALREADY_EXISTS'),
    );
    await assert.rejects(
      writeModelPackage(join(root, 'p5'), { flavor: 'onnx', files: { 'other.onnx': 'x' } }),
      invalid(/files must include 'model.onnx'/),
    );
    await assert.rejects(
      writeModelPackage(join(root, 'p5'), { flavor: 'onnx', files: { 'model.onnx': 'x', '../evil': 'x' } }),
      invalid(/'\.\.\/evil' must be a relative path/),
    );
    await assert.rejects(
      writeModelPackage(join(root, 'p5'), { flavor: 'remote' }),
      invalid(/remote: \{ url/),
    );
    await assert.rejects(
      writeModelPackage(join(root, 'p5'), { flavor: 'remote', remote: { url: 'ftp://x', model: 'm' } }),
      invalid(/remote\.url: must be an http\(s\) URL/),
    );
    await assert.rejects(readModelPackage(join(root, 'p5')), code('NOT_FOUND'));
  });

  it('reports a package whose model file was removed', async () => {
    const { dir } = await writeModelPackage(join(root, 'p6'), {
      flavor: 'onnx',
      files: { 'model.onnx': 'x' },
    });
    await rm(join(dir, 'model.onnx'));
    await assert.rejects(
      readModelPackage(dir),
      (e: unknown) => code('NOT_FOUND')(e) && /'model.onnx'/.test(String(e)),
    );
  });
});

describe('manifest validation', () => {
  it('accepts a hand-written manifest', () => {
    const m = parseManifest(VALID);
    assert.equal(m.flavor, 'onnx');
    assert.deepEqual(m.signature?.outputs, []);
  });

  const cases: [string, string, RegExp][] = [
    [
      'unknown flavor',
      VALID.replace('flavor: onnx', 'flavor: pickle'),
      /unknown flavor "pickle" \(expected one of onnx, tfjs, js, remote\)/,
    ],
    ['missing flavor', VALID.replace('flavor: onnx\n', ''), /flavor is missing/],
    [
      'missing flavor config',
      VALID.replace('onnx: { file: model.onnx }\n', ''),
      /onnx: Invalid input: expected object/,
    ],
    ['bad datatype', VALID.replace('FP32', 'FLOAT'), /signature\.inputs\[0\]\.datatype: Invalid option/],
    [
      'bad dimension',
      VALID.replace('[-1, 2]', '[-2, 2]'),
      /signature\.inputs\[0\]\.shape\[0\]: dimensions are sizes/,
    ],
    [
      'traversal',
      VALID.replace('file: model.onnx', 'file: ../model.onnx'),
      /onnx\.file: must be a relative path/,
    ],
    ['bad date', VALID.replace("'2024-01-15T10:30:45.123Z'", 'yesterday'), /metadata\.createdAt/],
    ['unknown key', `${VALID}extra: 1\n`, /Unrecognized key: "extra"/],
    ['format version', VALID.replace('formatVersion: 1', 'formatVersion: 9'), /formatVersion/],
    [
      'columns vs shape',
      VALID.replace('shape: [-1, 2] }', 'shape: [-1, 2], columns: [a] }'),
      /signature\.inputs\[0\]\.columns: 1 columns need shape \[-1, 1\]/,
    ],
    [
      'duplicate inputs',
      VALID.replace(
        'inputs: [{ name: input, datatype: FP32, shape: [-1, 2] }]',
        'inputs: [{ name: a, datatype: FP32, shape: [1] }, { name: a, datatype: FP32, shape: [1] }]',
      ),
      /signature\.inputs: duplicate tensor name 'a'/,
    ],
    ['not yaml', 'flavor: [onnx', /not valid YAML/],
    ['not a mapping', '- 1\n- 2\n', /must be a YAML mapping/],
  ];
  for (const [name, text, pattern] of cases) {
    it(`rejects ${name} with a message naming the field`, () => {
      assert.throws(() => parseManifest(text), invalid(pattern));
    });
  }
});
