import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createOsprey, type Osprey } from '../../app/index.js';
import { createEmbeddedClient, type TrackingClient } from '../../client/index.js';
import { resolveConfig } from '../../config/index.js';
import { OspreyError } from '../../errors/index.js';
import { type ArtifactReader, fetchModel, logModel, readModelPackage, writeModelPackage } from './index.js';

const code =
  (c: string, pattern = /./) =>
  (e: unknown) =>
    e instanceof OspreyError && e.code === c && pattern.test(e.message);

describe('logModel and fetchModel on an embedded store', () => {
  let home: string;
  let osprey: Osprey;
  let client: TrackingClient;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'osprey-fetch-'));
    osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }));
    client = createEmbeddedClient(osprey);
  });
  after(async () => {
    await osprey.close();
    await rm(home, { recursive: true, force: true });
  });

  const writePackage = (dir: string, weights: string) =>
    writeModelPackage(dir, {
      flavor: 'onnx',
      files: { 'model.onnx': 'onnx-bytes', 'weights/w.bin': weights },
      inputExample: [{ a: 1, b: 2 }],
      metadata: { framework: 'test' },
    });

  it('uploads a package to a run and fetches it back by runs:/ URI, then from the cache', async () => {
    const { runId } = (await client.createRun({})).info;
    const { dir } = await writePackage(join(home, 'pkg-a'), 'v1');
    const logged = await logModel(client, runId, 'model', dir);
    assert.equal(logged.uri, `runs:/${runId}/model`);
    assert.deepEqual(logged.artifacts.map((a) => a.path).sort(), [
      'model/input_example.json',
      'model/model.onnx',
      'model/osprey-model.yaml',
      'model/weights/w.bin',
    ]);
    assert.equal(logged.artifacts.at(-1)?.path, 'model/osprey-model.yaml', 'manifest goes last');

    const cacheDir = join(home, 'cache');
    const first = await fetchModel(logged.uri, { cacheDir, tracking: client });
    assert.equal(first.cached, false);
    assert.equal(first.runId, runId);
    assert.ok(first.dir.startsWith(join(cacheDir, 'runs')));
    const pkg = await readModelPackage(first.dir);
    assert.deepEqual(pkg.manifest, logged.manifest);
    assert.equal(await readFile(join(first.dir, 'weights/w.bin'), 'utf8'), 'v1');
    assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], 'no temp directory left behind');

    const again = await fetchModel(`${logged.uri}/`, { cacheDir, tracking: client });
    assert.deepEqual([again.dir, again.cached], [first.dir, true]);

    // Re-logging different content under the same path gives a different cache entry.
    const { dir: dirB } = await writePackage(join(home, 'pkg-b'), 'v2');
    await logModel(client, runId, 'model', dirB);
    const changed = await fetchModel(logged.uri, { cacheDir, tracking: client });
    assert.notEqual(changed.dir, first.dir);
    assert.equal(await readFile(join(changed.dir, 'weights/w.bin'), 'utf8'), 'v2');

    // Two concurrent fetches of new content agree on one directory.
    const cache2 = join(home, 'cache2');
    const [x, y] = await Promise.all([
      fetchModel(logged.uri, { cacheDir: cache2, tracking: client }),
      fetchModel(logged.uri, { cacheDir: cache2, tracking: client }),
    ]);
    assert.equal(x.dir, y.dir);
    assert.equal(await readFile(join(x.dir, 'weights/w.bin'), 'utf8'), 'v2');
  });

  it('resolves models:/ URIs through the registry dependency', async () => {
    const { runId } = (await client.createRun({})).info;
    const { dir } = await writePackage(join(home, 'pkg-c'), 'v3');
    await logModel(client, runId, 'clf', dir);
    const calls: unknown[] = [];
    const resolveModel = async (uri: string) => {
      calls.push(uri);
      return { source: `runs:/${runId}/clf` };
    };
    const deps = { cacheDir: join(home, 'cache'), tracking: client, resolveModel };
    const byVersion = await fetchModel('models:/fraud/4', deps);
    const byAlias = await fetchModel('models:/fraud@champion', deps);
    assert.deepEqual(calls, ['models:/fraud/4', 'models:/fraud@champion']);
    assert.equal(byVersion.source, `runs:/${runId}/clf`);
    assert.equal(byAlias.dir, byVersion.dir);
    assert.equal(await readFile(join(byAlias.dir, 'weights/w.bin'), 'utf8'), 'v3');
    await assert.rejects(
      fetchModel('models:/fraud/4', { cacheDir: deps.cacheDir }),
      code('INVALID_ARGUMENT', /registry/),
    );
    const local = await fetchModel(dir, deps);
    assert.deepEqual([local.dir, local.cached], [dir, false]);
  });

  it('reports missing runs, empty paths and missing directories', async () => {
    const cacheDir = join(home, 'cache');
    const { runId } = (await client.createRun({})).info;
    await assert.rejects(
      fetchModel(`runs:/${runId}/nothing`, { cacheDir, tracking: client }),
      code('NOT_FOUND'),
    );
    await assert.rejects(
      fetchModel('runs:/nosuchrun/model', { cacheDir, tracking: client }),
      code('NOT_FOUND'),
    );
    await assert.rejects(fetchModel(join(home, 'absent'), { cacheDir }), code('NOT_FOUND'));
  });
});

describe('fetchModel against a hostile artifact listing', () => {
  let cacheDir: string;
  before(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'osprey-fetch-evil-'));
  });
  after(() => rm(cacheDir, { recursive: true, force: true }));

  const reader = (paths: string[], content = 'x', size?: number): ArtifactReader => ({
    listArtifacts: async () => paths.map((path) => ({ path, isDir: false, fileSize: size })),
    downloadArtifact: async () => Readable.from([Buffer.from(content)]),
  });

  for (const evil of ['m/../../escape.txt', 'm/a/../../../x', 'other/file', 'm//x', 'm/\\..\\x']) {
    it(`refuses '${evil}' before writing anything`, async () => {
      await assert.rejects(
        fetchModel('runs:/r1/m', { cacheDir, tracking: reader([evil]) }),
        code('INVALID_ARGUMENT', /unsafe path/),
      );
      assert.deepEqual(await readdir(cacheDir), []);
    });
  }

  it('discards a download whose size does not match the listing', async () => {
    await assert.rejects(
      fetchModel('runs:/r1/m', {
        cacheDir,
        tracking: reader(['m/osprey-model.yaml', 'm/a.bin'], 'abc', 10),
      }),
      code('INTERNAL', /corrupted/),
    );
    assert.deepEqual(await readdir(join(cacheDir, 'tmp')), []);
    assert.deepEqual(await readdir(join(cacheDir, 'runs')), []);
  });

  it('refuses a run path without a manifest before downloading anything', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'osprey-fetch-bare-'));
    try {
      await assert.rejects(
        fetchModel('runs:/r1/m', { cacheDir: empty, tracking: reader(['m/model.onnx', 'm/notes.txt']) }),
        code(
          'NOT_FOUND',
          /runs:\/r1\/m is not a model package: it has no osprey-model\.yaml \(found model\.onnx, notes\.txt\)/,
        ),
      );
      assert.deepEqual(await readdir(empty), []);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
