import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { OspreyError } from '../../errors/index.js';

/**
 * A pass-through that hashes what it reads and, at the end, errors with INTERNAL if the bytes
 * do not hash to `digest`. The consumer has seen the bytes by then, so callers that must not
 * act on bad data (getToFile) write to a temporary first and only publish after the end.
 */
export class VerifyingStream extends Transform {
  readonly #hash = createHash('sha256');
  readonly #digest: string;
  #size = 0;

  constructor(digest: string) {
    super();
    this.#digest = digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.#hash.digest('hex');
    if (actual === this.#digest) {
      callback();
      return;
    }
    callback(
      new OspreyError(
        'INTERNAL',
        `blob ${this.#digest} is corrupted: its ${this.#size} stored bytes hash to ${actual}`,
        { digest: this.#digest, actual, size: this.#size },
      ),
    );
  }
}
