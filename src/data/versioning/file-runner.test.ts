import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FileJob } from './file-ops.js';
import { createFileRunner } from './file-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'osprey-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('file runner on worker threads', () => {
  it('hashes many small files and a big one across threads, in job order, reporting progress', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 300; i++) {
      const path = join(dir, `f${i}`);
      writeFileSync(path, `content of file ${i}\n`.repeat(i % 7));
      paths.push(path);
    }
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(9 * 1024 * 1024, 0xab));
    paths.splice(150, 0, big);
    const jobs: FileJob[] = paths.map((path) => ({ op: 'hash', path, follow: false }));
    const runner = createFileRunner({ threads: 2 });
    let files = 0;
    let bytes = 0;
    try {
      const results = await runner.run(jobs, {
        sizes: paths.map((p) => readFileSync(p).length),
        onProgress: (p) => {
          files += p.files;
          bytes += p.bytes;
        },
      });
      results.forEach((result, i) => {
        assert.ok(result.ok);
        const content = readFileSync(paths[i]!);
        assert.equal(result.value.digest, createHash('sha256').update(content).digest('hex'));
        assert.equal(result.value.size, content.length);
      });
      assert.equal(files, paths.length);
      assert.equal(
        bytes,
        paths.reduce((a, p) => a + readFileSync(p).length, 0),
      );
      // A missing file is an error result, not a thrown error, and the other jobs complete.
      const mixed = await runner.run([
        ...jobs.slice(0, 30),
        { op: 'hash', path: join(dir, 'absent'), follow: false },
      ]);
      assert.equal(mixed.filter((r) => r.ok).length, 30);
      assert.equal(mixed[30]?.ok === false && mixed[30].error.code, 'ENOENT');
    } finally {
      await runner.close();
    }
  });
});
