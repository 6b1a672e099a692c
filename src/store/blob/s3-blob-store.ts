import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { notFound } from '../../errors/index.js';
import { FILE_CHUNK_SIZE, writeFileAtomically } from './atomic-file.js';
import { toReadable } from './blob-source.js';
import type { BlobInfo, BlobSource, BlobStore, ByteRange, S3Options } from './blob-store.js';
import { assertDigest, assertMatches, checkExpected, checkRange, fanOut } from './digest.js';
import { HashingStream } from './hashing-stream.js';
import { RangeSlice, rangeCorrection } from './range-slice.js';
import { copyObject } from './s3-copy.js';
import { formatS3Uri, normalizePrefix } from './s3-uri.js';
import { assertRegularFile } from './sha256-file.js';
import { VerifyingStream } from './verifying-stream.js';

/** Everything an S3 blob store needs; the client is built by the caller (or createS3Client). */
export interface S3BlobStoreConfig {
  client: S3Client;
  bucket: string;
  /** Key prefix without leading or trailing slash; '' stores at the bucket root. */
  prefix?: string;
  /** Multipart part size for streams of unknown length (default 8 MiB, so up to ~80 GB). */
  partSize?: number;
  /** Parts uploaded in parallel; memory held is about partSize × queueSize. */
  queueSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 ** 2;
const DEFAULT_PART_SIZE = 8 * 1024 ** 2;
const MAX_PARTS = 10_000;

function httpStatus(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** Builds an S3 client from plain options; a custom endpoint implies path-style and us-east-1. */
export function createS3Client(options: S3Options = {}): S3Client {
  const custom = options.endpoint !== undefined;
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? (custom ? 'us-east-1' : undefined),
    forcePathStyle: options.forcePathStyle ?? custom,
    credentials:
      options.accessKeyId !== undefined && options.secretAccessKey !== undefined
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
  });
}

/**
 * A content-addressed store in an S3 bucket, keys `<prefix>/<aa>/<62 more hex>`. Uploads stream
 * (multipart) into `<prefix>/tmp/<uuid>` while hashing, and are copied server-side to their
 * content key only once the digest is known and checked, so no reader ever sees a partial or
 * mismatched object. Copies above 5 GiB use UploadPartCopy.
 */
export function createS3BlobStore(config: S3BlobStoreConfig): BlobStore {
  const { client, bucket } = config;
  const prefix = normalizePrefix(config.prefix ?? '');
  const base = prefix === '' ? '' : `${prefix}/`;
  const partSize = Math.max(MIN_PART_SIZE, config.partSize ?? DEFAULT_PART_SIZE);
  const queueSize = config.queueSize ?? 4;
  const objectKey = (digest: string) => base + fanOut(assertDigest(digest)).join('/');
  const objectPattern = new RegExp(
    `^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([0-9a-f]{2})/([0-9a-f]{62})$`,
  );

  async function headKey(key: string): Promise<number | undefined> {
    try {
      return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      throw error;
    }
  }

  const deleteKey = (key: string) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

  async function put(
    source: BlobSource,
    expected?: Partial<BlobInfo>,
    knownSize?: number,
  ): Promise<BlobInfo> {
    const wanted = checkExpected(expected);
    const hasher = new HashingStream(wanted.size);
    // pipeline() returns the hasher and destroys every stage on the first error, so a failing
    // source aborts the upload and a failing upload stops reading the source.
    const body = pipeline(toReadable(source), hasher, () => undefined);
    const tempKey = `${base}tmp/${randomUUID()}`;
    const size = knownSize ?? wanted.size;
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: tempKey, Body: body },
      // S3 caps multipart uploads at 10,000 parts: grow the part when the size is known.
      partSize: size === undefined ? partSize : Math.max(partSize, Math.ceil(size / MAX_PARTS)),
      queueSize,
    });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      await deleteKey(tempKey).catch(() => undefined);
      throw error;
    }
    try {
      const info = hasher.result();
      assertMatches(info, wanted);
      const target = objectKey(info.digest);
      if ((await headKey(target)) !== info.size) {
        await copyObject(client, bucket, tempKey, target, info.size);
      }
      return info;
    } finally {
      await deleteKey(tempKey).catch(() => undefined);
    }
  }

  async function get(digest: string, range?: ByteRange): Promise<Readable> {
    const key = objectKey(digest);
    const wanted = checkRange(range);
    let body: unknown;
    let contentRange: string | undefined;
    try {
      const response = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: wanted === undefined ? undefined : `bytes=${wanted.start}-${wanted.end ?? ''}`,
        }),
      );
      body = response.Body;
      contentRange = response.ContentRange;
    } catch (error) {
      if (httpStatus(error) === 404) throw notFound(`blob ${digest} not found`);
      // 416: the range starts past the end; match fs.createReadStream, which yields nothing.
      if (httpStatus(error) === 416) return Readable.from([]);
      throw error;
    }
    if (!(body instanceof Readable)) throw new Error(`S3 GetObject for ${key} returned no Node stream`);
    if (wanted !== undefined) {
      const fix = rangeCorrection(contentRange, wanted.start, wanted.end);
      return fix === undefined ? body : pipeline(body, new RangeSlice(fix.skip, fix.limit), () => undefined);
    }
    return pipeline(body, new VerifyingStream(digest), () => undefined);
  }

  async function* listKeys(keyPrefix: string) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, ContinuationToken: token }),
      );
      yield* page.Contents ?? [];
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  return {
    uri: formatS3Uri({ bucket, prefix }),
    put: (source, expected) => put(source, expected),
    async putFile(path: string): Promise<BlobInfo> {
      await assertRegularFile(path);
      const { size } = await stat(path);
      return put(createReadStream(path, { highWaterMark: FILE_CHUNK_SIZE }), undefined, size);
    },
    get,
    async getToFile(digest: string, path: string): Promise<void> {
      await writeFileAtomically(path, await get(digest));
    },
    async head(digest: string): Promise<BlobInfo | undefined> {
      const size = await headKey(objectKey(digest));
      return size === undefined ? undefined : { digest, size };
    },
    async *list(): AsyncIterable<BlobInfo> {
      for await (const object of listKeys(base)) {
        const match = objectPattern.exec(object.Key ?? '');
        if (match) yield { digest: `${match[1]}${match[2]}`, size: object.Size ?? 0 };
      }
    },
    async delete(digest: string): Promise<void> {
      await deleteKey(objectKey(digest));
    },
    async cleanTemp(olderThanMs: number): Promise<number> {
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      for await (const object of listKeys(`${base}tmp/`)) {
        if (object.Key !== undefined && (object.LastModified?.getTime() ?? 0) <= cutoff) {
          await deleteKey(object.Key);
          removed += 1;
        }
      }
      return removed;
    },
  };
}
