import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStatCache, type StatRecord, trustedDigest } from './stat-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'osprey-stat-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (path: string, extra: Partial<StatRecord> = {}): StatRecord => ({
  path,
  ino: 12345678901234567n,
  size: 10,
  mtimeNs: 1_700_000_000_123_456_789n,
  digest: 'a'.repeat(64),
  hashedAtNs: 1_700_000_010_000_000_000n,
  ...extra,
});

describe('stat cache', () => {
  it('loads a path and everything below it, not its siblings with a common prefix', () => {
    const cache = openStatCache(join(dir, 'one.db'));
    cache.record(
      ['data/raw', 'data/raw/a', 'data/raw/b/c', 'data/raw2', 'data/raw.txt', 'data/rav'].map((p) =>
        record(p),
      ),
    );
    assert.deepEqual([...cache.load('data/raw').keys()].sort(), ['data/raw', 'data/raw/a', 'data/raw/b/c']);
    assert.equal(cache.load('').size, 6);
    cache.forget(['data/raw/a']);
    assert.equal(cache.load('data/raw').has('data/raw/a'), false);
    cache.close();
  });

  it('persists 64-bit inodes and nanosecond mtimes exactly', () => {
    const file = join(dir, 'two.db');
    const first = openStatCache(file);
    first.record([record('x')]);
    first.close();
    const second = openStatCache(file);
    assert.deepEqual(second.load('x').get('x'), record('x'));
    second.close();
  });

  it('trusts a record only for the same inode, size and mtime, read a tick after the mtime', () => {
    const r = record('x');
    const key = { path: 'x', ino: r.ino, size: r.size, mtimeNs: r.mtimeNs };
    assert.equal(trustedDigest(r, key), r.digest);
    assert.equal(trustedDigest(r, { ...key, size: 11 }), undefined);
    assert.equal(trustedDigest(r, { ...key, ino: 1n }), undefined);
    assert.equal(trustedDigest(r, { ...key, mtimeNs: r.mtimeNs + 1n }), undefined);
    assert.equal(trustedDigest(undefined, key), undefined);
    // Read 5 ms after the mtime: a second write in the same tick would keep the mtime ("racy").
    assert.equal(trustedDigest({ ...r, hashedAtNs: r.mtimeNs + 5_000_000n }, key), undefined);
    // Whole-second mtimes (coarse filesystems) need a 2 s margin.
    const coarse = { ...key, mtimeNs: 1_700_000_000_000_000_000n };
    const coarseRecord = { ...r, mtimeNs: coarse.mtimeNs, hashedAtNs: coarse.mtimeNs + 1_000_000_000n };
    assert.equal(trustedDigest(coarseRecord, coarse), undefined);
    assert.equal(
      trustedDigest({ ...coarseRecord, hashedAtNs: coarse.mtimeNs + 2_000_000_000n }, coarse),
      r.digest,
    );
  });
});
