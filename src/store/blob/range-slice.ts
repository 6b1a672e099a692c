import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes on `limit` bytes after skipping `skip` bytes. Used when an S3-compatible server answers
 * a Range request with more than was asked (some ignore Range and send the whole object with
 * 200; s3rver ignores an end of 0), so callers always get exactly the range they requested.
 */
export class RangeSlice extends Transform {
  #skip: number;
  #remaining: number;

  constructor(skip: number, limit: number) {
    super();
    this.#skip = skip;
    this.#remaining = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let bytes = chunk;
    if (this.#skip > 0) {
      const dropped = Math.min(this.#skip, bytes.length);
      this.#skip -= dropped;
      bytes = bytes.subarray(dropped);
    }
    if (bytes.length > this.#remaining) bytes = bytes.subarray(0, this.#remaining);
    this.#remaining -= bytes.length;
    callback(null, bytes.length > 0 ? bytes : undefined);
  }
}

/**
 * Works out how to cut a server's answer down to the inclusive range [start, end]: the
 * `Content-Range` header (RFC 9110 §14.4) says which bytes came back; none means the whole object.
 */
export function rangeCorrection(
  contentRange: string | undefined,
  start: number,
  end: number | undefined,
): { skip: number; limit: number } | undefined {
  const served = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange ?? '');
  const servedStart = served ? Number(served[1]) : 0;
  const servedEnd = served ? Number(served[2]) : Number.POSITIVE_INFINITY;
  const wantedEnd = end ?? Number.POSITIVE_INFINITY;
  if (servedStart > start) throw new Error(`server sent ${contentRange} for a range starting at ${start}`);
  if (served && servedStart === start && servedEnd <= wantedEnd) return undefined;
  return { skip: start - servedStart, limit: wantedEnd - start + 1 };
}
