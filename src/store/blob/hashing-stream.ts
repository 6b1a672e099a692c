import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { invalidArgument } from '../../errors/index.js';
import type { BlobInfo } from './blob-store.js';

/**
 * A pass-through that hashes (SHA-256) and counts the bytes flowing through it, one chunk at a
 * time, so content of any size is addressed without being held in memory. With `maxSize` it
 * fails as soon as more bytes than announced arrive instead of uploading them all first.
 */
export class HashingStream extends Transform {
  readonly #hash = createHash('sha256');
  readonly #maxSize: number | undefined;
  #size = 0;
  #info: BlobInfo | undefined;

  constructor(maxSize?: number) {
    super();
    this.#maxSize = maxSize;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#maxSize !== undefined && this.#size > this.#maxSize) {
      callback(invalidArgument(`content is larger than the expected size of ${this.#maxSize} bytes`));
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#info = { digest: this.#hash.digest('hex'), size: this.#size };
    callback();
  }

  /** Digest and size of everything that went through; only valid once the stream has ended. */
  result(): BlobInfo {
    if (this.#info === undefined) throw new Error('HashingStream.result() called before the stream ended');
    return this.#info;
  }
}
