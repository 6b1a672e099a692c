import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { notFound } from '../../errors/index.js';
import {
  errorCode,
  FILE_CHUNK_SIZE,
  syncDirectory,
  writeFileAtomically,
  writeNewFile,
} from './atomic-file.js';
import { toReadable } from './blob-source.js';
import type { BlobInfo, BlobSource, BlobStore, ByteRange } from './blob-store.js';
import { assertDigest, assertMatches, checkExpected, checkRange, fanOut } from './digest.js';
import { HashingStream } from './hashing-stream.js';
import { assertRegularFile } from './sha256-file.js';
import { VerifyingStream } from './verifying-stream.js';

const FAN_OUT_DIR = /^[0-9a-f]{2}$/;
const OBJECT_NAME = /^[0-9a-f]{62}$/;

/** A blob store in a local directory, laid out like git's objects: `<root>/<aa>/<62 more hex>`. */
export interface FileBlobStore extends BlobStore {
  /** Absolute path of the root directory. */
  readonly root: string;
}

/**
 * Opens (lazily creates) a content-addressed store in directory `root`. Writes go to
 * `<root>/tmp/<uuid>.tmp`, are fsynced and renamed into place, so a writer killed at any
 * moment leaves at most a temp file, never a visible partial object.
 */
export function createFileBlobStore(root: string): FileBlobStore {
  const rootDir = resolve(root);
  const tempDir = join(rootDir, 'tmp');
  const objectPath = (digest: string) => join(rootDir, ...fanOut(assertDigest(digest)));

  async function sizeOf(path: string): Promise<number | undefined> {
    try {
      return (await stat(path)).size;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  // Moves a verified temp file to its content address. Same digest means same bytes, so when
  // a complete object is already there (or another writer wins a race) the temp is dropped.
  async function publish(temp: string, info: BlobInfo): Promise<void> {
    const target = objectPath(info.digest);
    if ((await sizeOf(target)) === info.size) return;
    const dir = join(rootDir, fanOut(info.digest)[0]);
    // A new fan-out directory is itself a directory entry that must survive a crash.
    if ((await mkdir(dir, { recursive: true })) !== undefined) await syncDirectory(rootDir);
    // Read-only like git's objects: nothing should edit content-addressed bytes in place.
    await chmod(temp, 0o444);
    try {
      await rename(temp, target);
    } catch (error) {
      // Windows refuses to rename over a read-only file a concurrent writer just published.
      if ((await sizeOf(target)) !== info.size) throw error;
    }
    await syncDirectory(dir);
  }

  async function put(source: BlobSource, expected?: Partial<BlobInfo>): Promise<BlobInfo> {
    const wanted = checkExpected(expected);
    const input = toReadable(source);
    await mkdir(tempDir, { recursive: true });
    const temp = join(tempDir, `${randomUUID()}.tmp`);
    const hasher = new HashingStream(wanted.size);
    try {
      await writeNewFile(temp, input, hasher);
      const info = hasher.result();
      assertMatches(info, wanted);
      await publish(temp, info);
      return info;
    } finally {
      await rm(temp, { force: true });
    }
  }

  async function get(digest: string, range?: ByteRange): Promise<Readable> {
    const path = objectPath(digest);
    const wanted = checkRange(range);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw notFound(`blob ${digest} not found`);
      throw error;
    }
    const content = handle.createReadStream({
      start: wanted?.start,
      end: wanted?.end,
      highWaterMark: FILE_CHUNK_SIZE,
    });
    if (wanted !== undefined) return content;
    // pipeline() destroys every stage with the first error, so a corruption error reaches
    // the consumer of the returned stream and a consumer that stops early closes the file.
    return pipeline(content, new VerifyingStream(digest), () => undefined);
  }

  async function* list(): AsyncIterable<BlobInfo> {
    const dirs = await readdir(rootDir).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return [] as string[];
      throw error;
    });
    for (const dir of dirs.filter((name) => FAN_OUT_DIR.test(name)).sort()) {
      const names = await readdir(join(rootDir, dir)).catch(() => [] as string[]);
      for (const name of names.filter((entry) => OBJECT_NAME.test(entry)).sort()) {
        const size = await sizeOf(join(rootDir, dir, name));
        if (size !== undefined) yield { digest: dir + name, size };
      }
    }
  }

  async function cleanTemp(olderThanMs: number): Promise<number> {
    const names = await readdir(tempDir).catch(() => [] as string[]);
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      const path = join(tempDir, name);
      const stats = await stat(path).catch(() => undefined);
      if (stats?.isFile() && stats.mtimeMs <= cutoff) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  return {
    uri: pathToFileURL(rootDir).href,
    root: rootDir,
    put,
    async putFile(path: string): Promise<BlobInfo> {
      await assertRegularFile(path);
      return put(createReadStream(path, { highWaterMark: FILE_CHUNK_SIZE }));
    },
    get,
    async getToFile(digest: string, path: string): Promise<void> {
      await writeFileAtomically(path, await get(digest));
    },
    async head(digest: string): Promise<BlobInfo | undefined> {
      const size = await sizeOf(objectPath(digest));
      return size === undefined ? undefined : { digest, size };
    },
    list,
    async delete(digest: string): Promise<void> {
      await rm(objectPath(digest), { force: true });
    },
    cleanTemp,
  };
}
