import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import { type BlobInfo, type BlobStore, createBlobStore } from '../../store/blob/index.js';
import { type S3TestServer, startS3TestServer } from '../../store/blob/test-support/s3-test-server.js';
import { openDataRepo } from './data-repo.js';
import { age, tempProject, writeFiles } from './test-support.js';

const FILES: Record<string, string> = {};
for (let i = 0; i < 12; i++) FILES[`data/images/${i % 3}/img-${i}.raw`] = `pixels ${i} `.repeat(50 + i);
FILES['data/labels.csv'] = 'id,label\n1,cat\n';

async function listAll(store: BlobStore): Promise<BlobInfo[]> {
  const all: BlobInfo[] = [];
  for await (const info of store.list()) all.push(info);
  return all;
}

/** A second clone of the project: the pointer files and .osprey/config.yaml, no data, no cache. */
function cloneProject(from: string): string {
  const to = mkdtempSync(join(tmpdir(), 'osprey-clone-'));
  cpSync(join(from, 'data/images.osprey'), join(to, 'data/images.osprey'), { recursive: true });
  cpSync(join(from, 'data/labels.csv.osprey'), join(to, 'data/labels.csv.osprey'));
  cpSync(join(from, '.osprey/config.yaml'), join(to, '.osprey/config.yaml'));
  return to;
}

let project: Awaited<ReturnType<typeof tempProject>>;
let remoteDir: string;
const clones: string[] = [];
beforeEach(async () => {
  project = await tempProject();
  writeFiles(project.root, FILES);
  age(project.root);
  await project.repo.add(['data/images', 'data/labels.csv']);
  remoteDir = mkdtempSync(join(tmpdir(), 'osprey-remote-'));
});
afterEach(async () => {
  await project.dispose();
  rmSync(remoteDir, { recursive: true, force: true });
  for (const dir of clones.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('push / pull / fetch with a local-directory remote', () => {
  it('pushes what the remote lacks, pulls it into a fresh clone, and skips what is there', async () => {
    const { repo, root } = project;
    await repo.remotes.add('store', remoteDir);
    const first = await repo.push();
    assert.equal(first.total, 14, '12 images, their manifest, the labels');
    assert.equal(first.transferred, 14);
    assert.equal((await listAll(createBlobStore(remoteDir))).length, 14);
    const second = await repo.push();
    assert.deepEqual([second.transferred, second.skipped], [0, 14]);

    const clone = cloneProject(root);
    clones.push(clone);
    const other = await openDataRepo({ root: clone, threads: 0 });
    try {
      assert.deepEqual(
        (await other.status()).map((s) => [s.workspace, s.notInCache > 0]),
        [
          ['missing', true],
          ['missing', true],
        ],
      );
      const pulled = await other.pull();
      assert.equal(pulled.fetched.transferred, 14);
      for (const [path, content] of Object.entries(FILES))
        assert.equal(readFileSync(join(clone, path), 'utf8'), content);
      assert.deepEqual(
        (await other.status()).map((s) => [s.workspace, s.notInCache]),
        [
          ['unchanged', 0],
          ['unchanged', 0],
        ],
      );
      assert.equal((await other.fetch()).transferred, 0);
    } finally {
      await other.close();
    }
  });

  it('an interrupted push leaves only whole objects and a re-run sends just the rest', async () => {
    const { repo, root } = project;
    await repo.remotes.add('store', remoteDir);
    let puts = 0;
    // The 5th upload fails as if the connection dropped.
    const flaky = await openDataRepo({
      root,
      threads: 0,
      jobs: 2,
      openRemote: (uri, options) => {
        const real = createBlobStore(uri, options);
        return {
          ...real,
          put: async (source, expected) => {
            puts += 1;
            if (puts === 5) throw new Error('connection reset');
            return real.put(source, expected);
          },
        };
      },
    });
    try {
      await assert.rejects(
        flaky.push(),
        (e) => isOspreyError(e) && e.code === 'UNAVAILABLE' && /run it again to resume/.test(e.message),
      );
    } finally {
      await flaky.close();
    }
    const partial = await listAll(createBlobStore(remoteDir));
    assert.ok(partial.length >= 4 && partial.length < 14, `${partial.length} objects made it`);
    const resumed = await repo.push();
    assert.equal(resumed.transferred, 14 - partial.length);
    assert.equal(resumed.skipped, partial.length);
    assert.equal((await listAll(createBlobStore(remoteDir))).length, 14);
  });

  it('stops starting transfers when aborted (Ctrl-C), and resumes', async () => {
    const { repo } = project;
    await repo.remotes.add('store', remoteDir);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(repo.push(undefined, { signal: controller.signal }), /stopped after 0 of 14/);
    assert.equal((await repo.push()).transferred, 14);
  });

  it('fetch verifies what it reads: a corrupted remote object is refused', async () => {
    const { repo, root } = project;
    await repo.remotes.add('store', remoteDir);
    await repo.push();
    const labels = (await repo.status(['data/labels.csv']))[0];
    assert.equal(labels?.notInCache, 0);
    const digest = (await import('node:crypto'))
      .createHash('sha256')
      .update(FILES['data/labels.csv']!)
      .digest('hex');
    const object = join(remoteDir, digest.slice(0, 2), digest.slice(2));
    chmodSync(object, 0o644);
    writeFileSync(object, 'id,label\n1,dog\n');
    rmSync(join(root, '.osprey/cache', digest.slice(0, 2), digest.slice(2)));
    await assert.rejects(repo.fetch(['data/labels.csv']), /corrupt|does not match/);
    assert.equal((await repo.status(['data/labels.csv']))[0]?.notInCache, 1);
  });
});

describe('push / fetch with an S3 remote', () => {
  let server: S3TestServer;
  before(async () => {
    server = await startS3TestServer('osprey-data');
  });
  after(() => server.close());

  it('round-trips through a bucket, with the endpoint in config.yaml and keys in config.local.yaml', async () => {
    const { repo, root } = project;
    const s3 = server.options;
    await repo.remotes.add('s3', `s3://${server.bucket}/team/datasets`, {
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    assert.doesNotMatch(readFileSync(join(root, '.osprey/config.yaml'), 'utf8'), /S3RVER/);
    assert.match(readFileSync(join(root, '.osprey/config.local.yaml'), 'utf8'), /secretAccessKey/);
    const pushed = await repo.push();
    assert.equal(pushed.transferred, 14);
    assert.equal((await repo.status(undefined, { remoteStatus: true }))[0]?.notInRemote, 0);

    const clone = cloneProject(root);
    clones.push(clone);
    cpSync(join(root, '.osprey/config.local.yaml'), join(clone, '.osprey/config.local.yaml'));
    const other = await openDataRepo({ root: clone, threads: 0 });
    try {
      const fetched = await other.fetch(['data/images']);
      assert.equal(fetched.transferred, 13);
      await other.checkout(['data/images']);
      assert.equal(
        readFileSync(join(clone, 'data/images/1/img-4.raw'), 'utf8'),
        FILES['data/images/1/img-4.raw'],
      );
      assert.equal((await other.status(['data/labels.csv']))[0]?.notInCache, 1);
    } finally {
      await other.close();
    }
  });
});
