import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createFileBlobStore } from './index.js';

const MiB = 1024 * 1024;
const dirs: string[] = [];
async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'osprey-file-blobs-'));
  dirs.push(root);
  return root;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('file blob store', () => {
  it('lays objects out git-style as read-only files and names itself by file URL', async () => {
    const root = await freshRoot();
    const store = createFileBlobStore(root);
    const { digest } = await store.put(Buffer.from('abc'));
    const path = join(root, digest.slice(0, 2), digest.slice(2));
    const stats = await stat(path);
    assert.equal(stats.size, 3);
    if (process.platform !== 'win32') assert.equal(stats.mode & 0o777, 0o444);
    assert.deepEqual(await readdir(join(root, 'tmp')), []);
    assert.equal(store.uri, pathToFileURL(root).href);
    assert.equal(store.root, root);
  });

  it('an absent root reads as an empty store and is created on first put', async () => {
    const root = join(await freshRoot(), 'not', 'yet');
    const store = createFileBlobStore(root);
    assert.equal(await store.head('0'.repeat(64)), undefined);
    for await (const _ of store.list()) assert.fail('nothing should be listed');
    assert.equal(await store.cleanTemp(0), 0);
    await store.put(Buffer.from('x'));
    assert.equal((await stat(root)).isDirectory(), true);
  });

  it('ignores stray files and repairs an object whose size is wrong on the next put', async () => {
    const root = await freshRoot();
    const store = createFileBlobStore(root);
    const content = randomBytes(10_000);
    const info = await store.put(content);
    const path = join(root, info.digest.slice(0, 2), info.digest.slice(2));
    await mkdir(join(root, 'zz'));
    await writeFile(join(root, 'zz', 'f'.repeat(62)), 'not a fan-out dir');
    await writeFile(join(root, info.digest.slice(0, 2), 'note.txt'), 'not an object');
    const listed = [];
    for await (const blob of store.list()) listed.push(blob);
    assert.deepEqual(listed, [info]);
    await truncate(path, 10).catch(async () => {
      await rm(path, { force: true });
      await writeFile(path, content.subarray(0, 10));
    });
    assert.equal((await store.head(info.digest))?.size, 10);
    assert.deepEqual(await store.put(content), info);
    assert.equal((await store.head(info.digest))?.size, 10_000);
  });

  it('cleanTemp removes only temporaries older than the threshold', async () => {
    const root = await freshRoot();
    const store = createFileBlobStore(root);
    await store.put(Buffer.from('creates tmp/'));
    const old = join(root, 'tmp', 'old.tmp');
    const fresh = join(root, 'tmp', 'fresh.tmp');
    await writeFile(old, 'left by a killed writer');
    await writeFile(fresh, 'a write in progress');
    const hourAgo = new Date(Date.now() - 3600_000);
    await utimes(old, hourAgo, hourAgo);
    assert.equal(await store.cleanTemp(60_000), 1);
    assert.deepEqual(await readdir(join(root, 'tmp')), ['fresh.tmp']);
  });

  it('streams 100 MiB in and out with bounded memory', async () => {
    const store = createFileBlobStore(await freshRoot());
    const block = randomBytes(MiB);
    let peak = 0;
    async function* generated(mebibytes: number, seed: number): AsyncIterable<Uint8Array> {
      for (let i = 0; i < mebibytes; i++) {
        // A fresh buffer per chunk (a yielded chunk must not be modified afterwards), each
        // different so nothing could be deduplicated.
        const chunk = Buffer.from(block);
        chunk.writeUInt32LE(seed + i, 0);
        yield chunk;
        peak = Math.max(peak, process.memoryUsage.rss());
      }
    }
    async function roundTrip(mebibytes: number, seed: number): Promise<number> {
      const info = await store.put(generated(mebibytes, seed));
      assert.equal(info.size, mebibytes * MiB);
      let read = 0;
      for await (const chunk of await store.get(info.digest)) {
        read += (chunk as Buffer).length;
        peak = Math.max(peak, process.memoryUsage.rss());
      }
      return read;
    }
    // Garbage chunks are collected lazily, so rss first climbs by a constant ~30 MiB whatever
    // the size; a 32 MiB warm-up reaches that plateau before the measured run.
    await roundTrip(32, 0);
    const before = process.memoryUsage.rss();
    peak = before;
    assert.equal(await roundTrip(100, 1000), 100 * MiB);
    const growthMiB = (peak - before) / MiB;
    assert.ok(growthMiB < 25, `rss grew by ${growthMiB.toFixed(1)} MiB while streaming 100 MiB`);
  });
});
