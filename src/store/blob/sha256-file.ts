import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { invalidArgument, notFound } from '../../errors/index.js';
import { errorCode, FILE_CHUNK_SIZE } from './atomic-file.js';
import type { BlobInfo } from './blob-store.js';

/** Checks that `path` names a readable regular file; NOT_FOUND or INVALID_ARGUMENT otherwise. */
export async function assertRegularFile(path: string): Promise<void> {
  if (typeof path !== 'string' || path.length === 0)
    throw invalidArgument('file path must be a non-empty string');
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw notFound(`file not found: ${path}`);
    throw error;
  }
  if (!stats.isFile()) throw invalidArgument(`not a regular file: ${path}`);
}

/** SHA-256 digest and size of a local file, read in 1 MiB chunks (never whole in memory). */
export async function sha256File(path: string): Promise<BlobInfo> {
  await assertRegularFile(path);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: FILE_CHUNK_SIZE })) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    hash.update(bytes);
  }
  return { digest: hash.digest('hex'), size };
}
