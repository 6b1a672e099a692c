import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import { sha256File } from './index.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'osprey-sha256-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sha256File', () => {
  it('matches the FIPS 180-2 SHA-256 test vectors', async () => {
    // FIPS 180-2, appendix B.1 ("abc") and B.3 (one million "a").
    await writeFile(join(dir, 'abc'), 'abc');
    await writeFile(join(dir, 'million-a'), 'a'.repeat(1_000_000));
    assert.deepEqual(await sha256File(join(dir, 'abc')), {
      digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      size: 3,
    });
    assert.deepEqual(await sha256File(join(dir, 'million-a')), {
      digest: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
      size: 1_000_000,
    });
  });

  it('reports a missing path as NOT_FOUND and a directory as INVALID_ARGUMENT', async () => {
    await assert.rejects(sha256File(join(dir, 'absent')), (e) => isOspreyError(e) && e.code === 'NOT_FOUND');
    await assert.rejects(sha256File(dir), (e) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT');
  });
});
