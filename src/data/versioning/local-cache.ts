import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { notFound } from '../../errors/index.js';
import { type BlobInfo, createFileBlobStore, type FileBlobStore } from '../../store/blob/index.js';
import { type Manifest, parseManifest } from './manifest.js';

/** A file written (and hashed) in the cache's temp directory, ready to become an object. */
export interface ImportedObject {
  temp: string;
  digest: string;
  size: number;
}

/**
 * The project's local cache: a directory blob store (`<root>/<aa>/<62 hex>`, objects read-only,
 * verified on read), plus the fast paths data versioning needs on many files: a synchronous
 * existence check and publishing files that worker threads already hashed while copying them
 * into `<root>/tmp`, so each byte is read, hashed and written once.
 */
export interface LocalCache {
  readonly store: FileBlobStore;
  /** Path of an object (whether or not it exists). */
  objectPath(digest: string): string;
  /** A fresh temp file name inside the store's temp directory (created if needed). */
  tempPath(): string;
  /** True when the object exists with this size (a truncated object counts as absent). */
  has(digest: string, size?: number): boolean;
  /** fsyncs the file, makes it read-only and renames it to its content address (idempotent). */
  publish(object: ImportedObject): Promise<void>;
  /** fsyncs the fan-out directories touched by publish() so the renames survive a crash. */
  syncPublished(): Promise<void>;
  /** A directory manifest from the cache, verified; NOT_FOUND when absent. Memoised. */
  readManifest(digest: string): Promise<Manifest>;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; its rename is still atomic.
  }
}

/** Opens the cache at `root` (created lazily). */
export function openLocalCache(root: string): LocalCache {
  const store = createFileBlobStore(root);
  const tempDir = join(store.root, 'tmp');
  const touched = new Set<string>();
  const manifests = new Map<string, Manifest>();
  const fanOutDirs = new Set<string>();
  let tempReady = false;
  const objectPath = (digest: string) => join(store.root, digest.slice(0, 2), digest.slice(2));
  const has = (digest: string, size?: number) => {
    const stats = statSync(objectPath(digest), { throwIfNoEntry: false });
    return stats !== undefined && (size === undefined || stats.size === size);
  };

  return {
    store,
    objectPath,
    tempPath() {
      if (!tempReady) {
        mkdirSync(tempDir, { recursive: true });
        tempReady = true;
      }
      return join(tempDir, `${randomUUID()}.tmp`);
    },
    has,
    async publish({ temp, digest, size }) {
      if (has(digest, size)) {
        await rm(temp, { force: true });
        return;
      }
      try {
        // The worker already made the file read-only (like the blob store's own objects).
        const handle = await open(temp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        const dir = join(store.root, digest.slice(0, 2));
        if (!fanOutDirs.has(dir)) {
          if ((await mkdir(dir, { recursive: true })) !== undefined) touched.add(store.root);
          fanOutDirs.add(dir);
        }
        await rename(temp, objectPath(digest));
        touched.add(dir);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async syncPublished() {
      const dirs = [...touched];
      touched.clear();
      await Promise.all(dirs.map(syncDir));
    },
    async readManifest(digest: string): Promise<Manifest> {
      const known = manifests.get(digest);
      if (known) return known;
      if (!has(digest)) throw notFound(`directory manifest ${digest} is not in the cache`);
      const manifest = parseManifest(await buffer(await store.get(digest)));
      manifests.set(digest, manifest);
      return manifest;
    },
  };
}

/** Every object of the cache, for gc. */
export async function listObjects(cache: LocalCache): Promise<BlobInfo[]> {
  const all: BlobInfo[] = [];
  for await (const info of cache.store.list()) all.push(info);
  return all;
}
