import { Readable } from 'node:stream';
import { invalidArgument } from '../../errors/index.js';
import type { BlobSource } from './blob-store.js';

/** Turns any BlobSource into a byte stream; throws INVALID_ARGUMENT for anything else. */
export function toReadable(source: BlobSource): Readable {
  if (source instanceof Readable) return source;
  if (source instanceof Uint8Array) {
    // Readable.from() would iterate a plain Uint8Array byte by byte; hand it over as one chunk.
    const chunk = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    return Readable.from([chunk], { objectMode: false });
  }
  if (typeof source === 'object' && source !== null && Symbol.asyncIterator in source) {
    return Readable.from(source, { objectMode: false });
  }
  throw invalidArgument('blob source must be a Readable, an AsyncIterable<Uint8Array> or a Uint8Array');
}
