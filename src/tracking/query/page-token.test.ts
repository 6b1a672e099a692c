import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePageToken, encodePageToken } from './page-token.js';

const invalidToken = { code: 'INVALID_ARGUMENT', message: /^invalid page token/ };

describe('page tokens', () => {
  it('round-trip offsets and keysets', () => {
    for (const token of [
      { offset: 0 },
      { offset: 1000 },
      { offset: Number.MAX_SAFE_INTEGER },
      { keyset: [0.93, 'run-7'] },
      { keyset: [null, 1700000000000, true, 'ünïcødé "quoted" 😀'] },
    ]) {
      assert.deepEqual(decodePageToken(encodePageToken(token)), token);
    }
  });

  it('keep NaN and infinities in keysets (metrics may hold them)', () => {
    const decoded = decodePageToken(encodePageToken({ keyset: [Number.NaN, Infinity, -Infinity, 'r'] }));
    assert.ok(decoded && 'keyset' in decoded);
    assert.ok(Number.isNaN(decoded.keyset[0]));
    assert.deepEqual(decoded.keyset.slice(1), [Infinity, -Infinity, 'r']);
  });

  it('are URL-safe strings', () => {
    const token = encodePageToken({ keyset: ['a/b+c?d=e&f', 12.5] });
    assert.match(token, /^[A-Za-z0-9._-]+$/);
  });

  it('treat an absent or empty token as the first page', () => {
    assert.equal(decodePageToken(undefined), undefined);
    assert.equal(decodePageToken(null), undefined);
    assert.equal(decodePageToken(''), undefined);
  });

  it('reject garbage with INVALID_ARGUMENT, never a crash', () => {
    const good = encodePageToken({ offset: 50 });
    const [marker, payload, checksum] = good.split('.') as [string, string, string];
    const flipped = payload.slice(0, -2) + (payload.at(-2) === 'A' ? 'B' : 'A') + payload.at(-1);
    const garbage = [
      'garbage',
      'p1',
      'p1..',
      '....',
      `${marker}.${payload}`,
      `${marker}.${payload}.00000000`,
      `${marker}.${flipped}.${checksum}`,
      `p2.${payload}.${checksum}`,
      `${marker}.${payload}!.${checksum}`,
      Buffer.from('{"offset": 10}').toString('base64'), // MLflow's own token format
      'x'.repeat(10_000),
      `${good}.extra`,
    ];
    for (const token of garbage) assert.throws(() => decodePageToken(token), invalidToken, token);
  });

  it('reject well-formed tokens whose content is not a position', () => {
    // Forge tokens the way a curious client could: a valid checksum around a bad body. The
    // checksum is FNV-1a 32-bit, re-implemented here from its published constants.
    const fnv1a = (text: string) => {
      let hash = 2166136261;
      for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
      return (hash >>> 0).toString(16).padStart(8, '0');
    };
    const forge = (body: unknown) => {
      const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
      return `p1.${payload}.${fnv1a(`p1${payload}`)}`;
    };
    const q = fnv1a('');
    assert.deepEqual(decodePageToken(forge({ v: 1, o: 7, q })), { offset: 7 }); // the forge is faithful
    const bad = [
      { v: 1, o: -1, q },
      { v: 1, o: 1.5, q },
      { v: 1, o: '7', q },
      { v: 1, o: 1, k: ['a'], q },
      { v: 1, q },
      { v: 2, o: 1, q },
      { v: 1, k: [], q },
      { v: 1, k: [{ a: 1 }], q },
      { v: 1, k: 'abc', q },
      [1, 2],
      'text',
      null,
    ];
    for (const body of bad)
      assert.throws(() => decodePageToken(forge(body)), invalidToken, JSON.stringify(body));
  });

  it('reject a token replayed against a different query scope', () => {
    const token = encodePageToken({ offset: 100 }, 'filter=metrics.a>1|order=start_time DESC');
    assert.deepEqual(decodePageToken(token, 'filter=metrics.a>1|order=start_time DESC'), { offset: 100 });
    assert.throws(() => decodePageToken(token, 'filter=metrics.a>2|order=start_time DESC'), {
      code: 'INVALID_ARGUMENT',
      message: 'invalid page token: it was issued for a different query',
    });
    assert.throws(() => decodePageToken(token), invalidToken);
  });

  it('refuse to encode impossible positions', () => {
    for (const bad of [{ offset: -1 }, { offset: 1.5 }, { offset: Number.NaN }, { keyset: [] }]) {
      assert.throws(() => encodePageToken(bad), { code: 'INVALID_ARGUMENT' });
    }
    assert.throws(() => encodePageToken({ keyset: [{} as unknown as string] }), { code: 'INVALID_ARGUMENT' });
  });
});
