import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatLock, type Lock, type LockEntry, readLock } from './lock.js';

const D1 = 'a'.repeat(64);
const D2 = 'b'.repeat(64);

describe('lock file', () => {
  it('formats in sorted order whatever the insertion order, and reads back', async () => {
    const entry: LockEntry = {
      cmd: ['python train.py'],
      deps: [
        { path: 'src/z.py', digest: D2, size: 2 },
        { path: 'data', digest: D1, size: 10, nfiles: 3, isDir: true },
      ],
      params: { 'params.yaml': { 'train.lr': 0.1, 'train.epochs': 3 } },
      outs: [{ path: 'model.bin', digest: D1, size: 5 }],
    };
    const a: Lock = new Map([
      ['train', entry],
      ['prep', { cmd: ['a', 'b'], deps: [], params: {}, outs: [] }],
    ]);
    const b: Lock = new Map([...a].reverse());
    const text = formatLock(a);
    assert.equal(text, formatLock(b));
    assert.equal(
      text,
      `schema: 1
stages:
  prep:
    cmd:
      - a
      - b
  train:
    cmd: python train.py
    deps:
      - path: data
        digest: sha256:${D1}
        size: 10
        nfiles: 3
        isDir: true
      - path: src/z.py
        digest: sha256:${D2}
        size: 2
    params:
      params.yaml:
        train.epochs: 3
        train.lr: 0.1
    outs:
      - path: model.bin
        digest: sha256:${D1}
        size: 5
`,
    );
    const root = mkdtempSync(join(tmpdir(), 'osprey-lock-'));
    try {
      writeFileSync(join(root, 'osprey.lock'), text);
      const read = await readLock(root);
      assert.equal(formatLock(read), text);
      writeFileSync(join(root, 'osprey.lock'), text.replace(`sha256:${D2}`, 'md5:abc'));
      await assert.rejects(readLock(root), /osprey\.lock: stages\.train\.deps\[1\]\.digest: must be sha256/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
