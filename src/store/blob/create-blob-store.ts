import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument } from '../../errors/index.js';
import type { BlobStore, S3Options } from './blob-store.js';
import { createFileBlobStore } from './file-blob-store.js';
import { createLazyBlobStore } from './lazy-blob-store.js';
import { formatS3Uri, parseS3Uri } from './s3-uri.js';

/** Options for createBlobStore; only the part matching the URI's scheme is used. */
export interface BlobStoreOptions {
  s3?: S3Options;
}

type Factory = (uri: string, options: BlobStoreOptions) => BlobStore;

// The explicit registry of implementations, keyed by URI scheme. The S3 one is imported on
// first use so that commands working on local files never load the AWS SDK (~130 ms).
const FACTORIES: ReadonlyMap<string, Factory> = new Map<string, Factory>([
  ['file', (uri) => createFileBlobStore(fileFromUrl(uri))],
  [
    's3',
    (uri, options) => {
      // Parsed before the SDK loads, so a malformed URI fails at start-up, not on first upload.
      const location = parseS3Uri(uri);
      return createLazyBlobStore(formatS3Uri(location), async () => {
        const { createS3BlobStore, createS3Client } = await import('./s3-blob-store.js');
        return createS3BlobStore({ client: createS3Client(options.s3), ...location });
      });
    },
  ],
]);

function fileFromUrl(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch (error) {
    throw invalidArgument(`invalid file URI ${JSON.stringify(uri)}: ${(error as Error).message}`);
  }
}

/**
 * Picks the implementation by URI scheme: a plain path or file:// → local directory;
 * s3://bucket/prefix → S3. Example: `createBlobStore('.osprey/blobs')`.
 */
export function createBlobStore(uri: string, options: BlobStoreOptions = {}): BlobStore {
  if (typeof uri !== 'string' || uri.trim() === '')
    throw invalidArgument('blob store URI must be a non-empty string');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return createFileBlobStore(isAbsolute(uri) ? uri : resolve(uri));
  const factory = FACTORIES.get(scheme);
  if (factory === undefined) {
    throw invalidArgument(
      `unsupported blob store URI scheme "${scheme}:" in ${JSON.stringify(uri)}: use a path, file:// or s3://`,
    );
  }
  return factory(uri, options);
}
