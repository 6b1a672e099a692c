import { invalidArgument } from '../errors/index.js';
import { decodePageToken, encodePageToken } from './query/index.js';

/** The row offset an opaque page token carries (0 without a token). */
export function pageOffset(token: string | undefined): number {
  const decoded = decodePageToken(token);
  if (!decoded) return 0;
  if ('offset' in decoded) return decoded.offset;
  throw invalidArgument('invalid page token');
}

/** The token for the page starting at `offset`. */
export function offsetToken(offset: number): string {
  return encodePageToken({ offset });
}
