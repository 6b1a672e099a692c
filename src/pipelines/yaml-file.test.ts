import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createYamlReader } from './yaml-file.js';

describe('createYamlReader', () => {
  it('reuses a parsed document while the bytes are the same, and re-parses when they change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-yaml-'));
    try {
      const cache = join(dir, 'cache');
      const file = join(dir, 'a.yaml');
      const read = createYamlReader(cache);
      writeFileSync(file, 'a: {b: [1, 2]}\n');
      assert.deepEqual(await read(file, { file: 'a.yaml' }), { a: { b: [1, 2] } });
      assert.equal(readdirSync(cache).length, 1);
      assert.deepEqual(await createYamlReader(cache)(file, { file: 'a.yaml' }), { a: { b: [1, 2] } });
      // Same length, different bytes: the digest notices.
      writeFileSync(file, 'a: {b: [1, 3]}\n');
      assert.deepEqual(await read(file, { file: 'a.yaml' }), { a: { b: [1, 3] } });
      // Values JSON cannot keep are parsed every time, never cached wrongly.
      writeFileSync(file, 'x: .inf\n');
      assert.deepEqual(await read(file, { file: 'a.yaml' }), { x: Number.POSITIVE_INFINITY });
      assert.deepEqual(await read(file, { file: 'a.yaml' }), { x: Number.POSITIVE_INFINITY });
      writeFileSync(file, 'x: [1\n');
      await assert.rejects(read(file, { file: 'a.yaml' }), /^OspreyError: a\.yaml: is not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
