import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import {
  EXEC_MODE,
  FILE_MODE,
  type ManifestEntry,
  parseManifest,
  serializeManifest,
  sha256Hex,
} from './manifest.js';
import { compareCodePoints } from './rel-path.js';

const d = (c: string) => c.repeat(64);
const invalid = (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT';
const bytesOf = (entries: unknown[]) =>
  Buffer.from(JSON.stringify({ version: 1, algorithm: 'sha256', entries }), 'utf8');

describe('directory manifest', () => {
  it('serializes canonically: fixed key order, no whitespace, entries sorted by UTF-8 bytes', () => {
    const entries: ManifestEntry[] = [
      { mode: FILE_MODE, size: 3, digest: d('b'), path: 'sub/z.txt' },
      { path: 'a.txt', digest: d('a'), size: 1, mode: EXEC_MODE },
      { path: 'sub.txt', digest: d('c'), size: 2, mode: FILE_MODE },
    ];
    const text = serializeManifest({ entries }).toString('utf8');
    // '.' (0x2E) sorts before '/' (0x2F): sub.txt comes before sub/z.txt, as in byte order.
    assert.equal(
      text,
      `{"version":1,"algorithm":"sha256","entries":[` +
        `{"path":"a.txt","digest":"${d('a')}","size":1,"mode":493},` +
        `{"path":"sub.txt","digest":"${d('c')}","size":2,"mode":420},` +
        `{"path":"sub/z.txt","digest":"${d('b')}","size":3,"mode":420}]}`,
    );
    // Input order does not matter.
    assert.deepEqual(serializeManifest({ entries: [...entries].reverse() }), Buffer.from(text));
  });

  it('round-trips through parseManifest', () => {
    const entries: ManifestEntry[] = [
      { path: 'é/ü.csv', digest: d('1'), size: 10, mode: FILE_MODE },
      { path: 'x', digest: d('2'), size: 0, mode: EXEC_MODE },
    ];
    const bytes = serializeManifest({ entries });
    assert.deepEqual(serializeManifest(parseManifest(bytes)), bytes);
  });

  it('rejects entries that would escape or confuse the directory', () => {
    const entry = (path: string) => ({ path, digest: d('a'), size: 1, mode: FILE_MODE });
    for (const path of ['../x', 'a/../../x', '/etc/passwd', 'a//b', './a', 'a/.', 'a\\..\\x', '', 'a\nb'])
      assert.throws(() => parseManifest(bytesOf([entry(path)])), invalid, JSON.stringify(path));
    assert.throws(() => serializeManifest({ entries: [entry('../x')] }), invalid);
    // Unsorted, duplicate, a path that is both a file and a directory.
    assert.throws(() => parseManifest(bytesOf([entry('b'), entry('a')])), invalid);
    assert.throws(() => parseManifest(bytesOf([entry('a'), entry('a')])), invalid);
    assert.throws(() => parseManifest(bytesOf([entry('a'), entry('a/b')])), invalid);
  });

  it('rejects malformed fields and unknown versions', () => {
    const good = { path: 'a', digest: d('a'), size: 1, mode: FILE_MODE };
    assert.throws(() => parseManifest(bytesOf([{ ...good, digest: 'abc' }])), invalid);
    assert.throws(() => parseManifest(bytesOf([{ ...good, size: -1 }])), invalid);
    assert.throws(() => parseManifest(bytesOf([{ ...good, mode: 0o777 }])), invalid);
    assert.throws(
      () => parseManifest(Buffer.from('{"version":2,"algorithm":"sha256","entries":[]}')),
      invalid,
    );
    assert.throws(() => parseManifest(Buffer.from('not json')), invalid);
  });

  it('an empty directory has the digest of its canonical bytes (reference: coreutils sha256sum)', () => {
    const bytes = serializeManifest({ entries: [] });
    assert.equal(bytes.toString(), '{"version":1,"algorithm":"sha256","entries":[]}');
    // printf '%s' '{"version":1,"algorithm":"sha256","entries":[]}' | sha256sum
    assert.equal(sha256Hex(bytes), '5641d3ffb68bf8dff3aa4033941a401db6e302fd700655dcb3b6268cdf88a5c7');
  });
});

describe('compareCodePoints', () => {
  it('orders like the UTF-8 bytes (unlike the default UTF-16 sort)', () => {
    const words = ['a', 'ab', 'a/b', 'a.b', 'é', '\uFFFD', '😀', '\uE000', 'Z', 'z', '', 'b😀c', 'b\uFFFFc'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...words].sort(compareCodePoints), byBytes);
    // The default sort gets the astral vs U+E000-U+FFFF order wrong.
    assert.notDeepEqual([...words].sort(), byBytes);
  });
});
