import type { Readable } from 'node:stream';

/** What the store knows about one blob: its content address and length. */
export interface BlobInfo {
  /** Lowercase hex SHA-256 of the content (64 characters). */
  digest: string;
  /** Length in bytes. */
  size: number;
}

/**
 * Anything put() can stream from. As with any Node stream, a chunk must not be modified after
 * it has been yielded: it is hashed and written at different moments.
 */
export type BlobSource = Readable | AsyncIterable<Uint8Array> | Uint8Array;

/** An inclusive byte range, like fs.createReadStream's `start`/`end`. */
export interface ByteRange {
  start: number;
  end?: number;
}

/**
 * A content-addressed blob store: blobs are named by the SHA-256 of their bytes, written
 * atomically (visible only once complete and verified) and verified again when read.
 */
export interface BlobStore {
  /** Where the store lives: `file:///abs/dir` or `s3://bucket/prefix`. */
  readonly uri: string;
  /**
   * Streams content in while hashing it; visible under its digest only once complete and verified.
   * If `expected` is given and does not match, nothing is stored and an OspreyError
   * INVALID_ARGUMENT is thrown. Idempotent for existing content.
   */
  put(source: BlobSource, expected?: Partial<BlobInfo>): Promise<BlobInfo>;
  /** Stores a local file by streaming it. */
  putFile(path: string): Promise<BlobInfo>;
  /**
   * A stream of the content. Without a range the bytes are hashed as they pass and the stream
   * errors (OspreyError INTERNAL, "corrupted") at its end if they do not match the digest.
   * NOT_FOUND if absent. A range (inclusive `end`) is not verified; a range starting past the
   * end yields an empty stream.
   */
  get(digest: string, range?: ByteRange): Promise<Readable>;
  /** Writes the blob to a local file atomically (temp file + rename), verified. */
  getToFile(digest: string, path: string): Promise<void>;
  /** Size of a stored blob, or undefined when absent. */
  head(digest: string): Promise<BlobInfo | undefined>;
  /** Every stored blob in digest order; unfinished uploads are never listed. */
  list(): AsyncIterable<BlobInfo>;
  /** Removes a blob; deleting an absent blob is not an error (GC can race safely). */
  delete(digest: string): Promise<void>;
  /** Removes temporaries left by writers that died, if older than `olderThanMs`; returns how many. */
  cleanTemp(olderThanMs: number): Promise<number>;
}

/** Connection settings for an S3-compatible object store. */
export interface S3Options {
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
}
