import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import { formatPointer, parsePointer } from './pointer-file.js';

const invalid = (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT';
const digest = 'ab'.repeat(32);

describe('pointer files', () => {
  it('round-trips outs, with sha256:-prefixed digests on disk', () => {
    const text = formatPointer({
      outs: [{ path: 'raw', digest, size: 12, nfiles: 2, isDir: true }],
      extra: {},
    });
    assert.match(text, new RegExp(`digest: sha256:${digest}`));
    const parsed = parsePointer(text, 'raw.osprey');
    assert.deepEqual(parsed.outs, [{ path: 'raw', digest, size: 12, nfiles: 2, isDir: true }]);
  });

  it('keeps keys it does not interpret (desc, meta) across a rewrite', () => {
    const text = `outs:\n  - path: model.bin\n    digest: sha256:${digest}\n    size: 3\n    desc: the model\nmeta: {owner: ml}\n`;
    const parsed = parsePointer(text, 'model.bin.osprey');
    const again = parsePointer(formatPointer(parsed), 'x');
    assert.equal((again.outs[0] as { desc?: string }).desc, 'the model');
    assert.deepEqual(again.extra, { meta: { owner: 'ml' } });
  });

  it('rejects paths that escape the pointer directory, bad digests and missing outs', () => {
    const out = (path: string, d = `sha256:${digest}`) =>
      `outs:\n  - {path: "${path}", digest: "${d}", size: 1}\n`;
    assert.throws(() => parsePointer(out('../x'), 'p'), invalid);
    assert.throws(() => parsePointer(out('/etc/x'), 'p'), invalid);
    assert.throws(() => parsePointer(out('x', digest), 'p'), invalid, 'digest without the sha256: prefix');
    assert.throws(() => parsePointer(out('x', 'md5:abc'), 'p'), invalid);
    assert.throws(() => parsePointer('outs: []\n', 'p'), invalid);
    assert.throws(() => parsePointer('{{{', 'p'), invalid);
  });
});
