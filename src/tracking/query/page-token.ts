import { invalidArgument } from '../../errors/index.js';

/** One value of a keyset cursor: the sort-key values of the last row of a page. */
export type KeysetValue = string | number | boolean | null;

/** Where the next page starts: a row offset, or the sort keys of the last row returned (keyset paging). */
export type PageToken = { readonly offset: number } | { readonly keyset: readonly KeysetValue[] };

const MARKER = 'p1';
const MAX_TOKEN_LENGTH = 4096;
const MAX_KEYSET_LENGTH = 64;
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * Encodes a page position as an opaque token `p1.<base64url JSON>.<checksum>`. `scope` (e.g. the
 * filter, order_by and experiment ids of the search) is hashed into the token so that it cannot
 * be replayed against a different query. The checksum catches corruption, not forgery: a token
 * only names a position, and the query behind it is re-validated on every request.
 */
export function encodePageToken(token: PageToken, scope = ''): string {
  const body = 'offset' in token ? { o: checkOffset(token.offset) } : { k: checkKeyset(token.keyset) };
  const json = JSON.stringify({ v: 1, ...body, q: fnv1a(scope) }, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? { $f: String(value) } : value,
  );
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  return `${MARKER}.${payload}.${fnv1a(MARKER + payload)}`;
}

/**
 * Decodes a token made by {@link encodePageToken} with the same `scope`. Undefined, null or ''
 * mean "first page" and give undefined. Anything malformed, tampered with or issued for another
 * scope throws INVALID_ARGUMENT "invalid page token".
 */
export function decodePageToken(token: string | null | undefined, scope = ''): PageToken | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw invalid('malformed');
  const parts = token.split('.');
  const [marker, payload, checksum] = parts;
  if (parts.length !== 3 || marker !== MARKER || !payload || !/^[A-Za-z0-9_-]+$/.test(payload)) {
    throw invalid('malformed');
  }
  if (checksum !== fnv1a(MARKER + payload)) throw invalid('checksum mismatch');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'), (_key, value: unknown) =>
      isNonFiniteMarker(value) ? Number(value.$f) : value,
    );
  } catch {
    throw invalid('malformed');
  }
  if (!isRecord(body) || body.v !== 1) throw invalid('unknown version');
  if (body.q !== fnv1a(scope)) throw invalid('it was issued for a different query');
  try {
    if ('o' in body && !('k' in body)) return { offset: checkOffset(body.o) };
    if ('k' in body && !('o' in body)) return { keyset: checkKeyset(body.k) };
  } catch {
    throw invalid('bad position');
  }
  throw invalid('bad position');
}

function invalid(reason: string) {
  return invalidArgument(`invalid page token: ${reason}`);
}

function checkOffset(offset: unknown): number {
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidArgument(`page offset must be a non-negative integer, got ${String(offset)}`);
  }
  return offset;
}

function checkKeyset(keyset: unknown): KeysetValue[] {
  if (!Array.isArray(keyset) || keyset.length === 0 || keyset.length > MAX_KEYSET_LENGTH) {
    throw invalidArgument(`page keyset must be a list of 1..${MAX_KEYSET_LENGTH} values`);
  }
  for (const value of keyset) {
    const type = typeof value;
    if (value !== null && type !== 'string' && type !== 'number' && type !== 'boolean') {
      throw invalidArgument(`page keyset values must be strings, numbers, booleans or null, got ${type}`);
    }
  }
  return [...(keyset as KeysetValue[])];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonFiniteMarker(value: unknown): value is { $f: string } {
  return (
    isRecord(value) &&
    Object.keys(value).length === 1 &&
    typeof value.$f === 'string' &&
    NON_FINITE.has(value.$f)
  );
}

/** FNV-1a 32-bit hash (Fowler–Noll–Vo, http://www.isthe.com/chongo/tech/comp/fnv/) as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
