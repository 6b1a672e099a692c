import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes per write/read call on local files: large enough that syscalls don't dominate. */
export const FILE_CHUNK_SIZE = 1024 * 1024;

/**
 * Streams `source` (optionally through a transform) into a file that must not exist yet, then fsyncs it
 * so that a later rename publishes complete bytes even across a power loss. Removes the file
 * if anything fails.
 */
export async function writeNewFile(path: string, source: Readable, through?: Transform): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    // The sink writes straight to the handle (fs.WriteStream would close it before the fsync).
    const sink = async (chunks: AsyncIterable<Uint8Array>) => {
      for await (const chunk of chunks) await handle.write(chunk);
    };
    await (through === undefined ? pipeline(source, sink) : pipeline(source, through, sink));
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
}

/** fsyncs a directory so a rename inside it survives a crash (a no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open or fsync directories; the rename is still atomic there.
  }
}

/**
 * Writes `path` atomically (creating its directory if needed): streams into a hidden sibling
 * temp file, fsyncs, renames over `path`. Readers see either the old file or the complete new one, never a partial file.
 */
export async function writeFileAtomically(path: string, source: Readable): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  await writeNewFile(temp, source);
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The errno code of a Node system error, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
