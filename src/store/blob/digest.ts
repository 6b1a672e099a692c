import { invalidArgument } from '../../errors/index.js';
import type { BlobInfo, ByteRange } from './blob-store.js';

const DIGEST_PATTERN = /^[0-9a-f]{64}$/;

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** True when `value` is a lowercase hex SHA-256 digest. */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_PATTERN.test(value);
}

/**
 * Returns `value` if it is a lowercase hex SHA-256 digest, else throws INVALID_ARGUMENT.
 * Every path or key is built from a checked digest, which is what rules out path traversal.
 */
export function assertDigest(value: unknown): string {
  if (!isDigest(value)) {
    throw invalidArgument(`invalid blob digest ${describe(value)}: expected 64 lowercase hex characters`);
  }
  return value;
}

/** Splits a digest git-style into a 2-character fan-out directory and the remaining 62. */
export function fanOut(digest: string): [string, string] {
  return [digest.slice(0, 2), digest.slice(2)];
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks the `expected` argument of put(); throws INVALID_ARGUMENT for malformed fields. */
export function checkExpected(expected: Partial<BlobInfo> | undefined): Partial<BlobInfo> {
  if (expected === undefined) return {};
  if (typeof expected !== 'object' || expected === null) {
    throw invalidArgument('expected must be an object with optional digest and size');
  }
  if (expected.digest !== undefined) assertDigest(expected.digest);
  if (expected.size !== undefined && !isSize(expected.size)) {
    throw invalidArgument(
      `invalid expected size ${describe(expected.size)}: expected a non-negative integer`,
    );
  }
  return expected;
}

/** Throws INVALID_ARGUMENT when the hashed content differs from what the caller announced. */
export function assertMatches(actual: BlobInfo, expected: Partial<BlobInfo>): void {
  const digestWrong = expected.digest !== undefined && expected.digest !== actual.digest;
  const sizeWrong = expected.size !== undefined && expected.size !== actual.size;
  if (digestWrong || sizeWrong) {
    throw invalidArgument(
      `content does not match the expected blob: got ${actual.digest} (${actual.size} bytes), ` +
        `expected ${expected.digest ?? 'any digest'} (${expected.size ?? 'any'} bytes)`,
      { expected, actual },
    );
  }
}

/** Checks a byte range (inclusive end, like fs.createReadStream); throws INVALID_ARGUMENT. */
export function checkRange(range: ByteRange | undefined): ByteRange | undefined {
  if (range === undefined) return undefined;
  if (typeof range !== 'object' || range === null || !isSize(range.start)) {
    throw invalidArgument(`invalid range start ${describe(range?.start)}: expected a non-negative integer`);
  }
  if (range.end !== undefined && (!isSize(range.end) || range.end < range.start)) {
    throw invalidArgument(`invalid range end ${describe(range.end)}: expected an integer >= start`);
  }
  return range;
}
