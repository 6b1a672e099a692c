import { conflict } from '../../errors/index.js';
import type { BlobInfo } from '../../store/blob/index.js';
import { listObjects } from './local-cache.js';
import { objectsOf } from './objects.js';
import type { TrackedOut } from './project.js';
import type { Engine } from './workspace-scan.js';

/** Options of `gc`. */
export interface GcOptions {
  /** List what would be removed without removing it. */
  dryRun?: boolean;
  /**
   * Proceed even when a pointer's directory manifest is missing from the cache (its entries
   * cannot be known, so they are collected like any unreferenced object).
   */
  force?: boolean;
}

/** What gc removed (or, in a dry run, would remove). */
export interface GcResult {
  removed: BlobInfo[];
  bytes: number;
  /** Cache objects kept because a pointer in the workspace refers to them. */
  kept: number;
  dryRun: boolean;
  /** Stale temporary files (from writers that died over an hour ago) removed. */
  tempRemoved: number;
}

const STALE_TEMP_MS = 60 * 60 * 1000;

/** Removes cache objects that no pointer file of the workspace refers to. */
export async function collectGarbage(
  engine: Engine,
  outs: readonly TrackedOut[],
  options: GcOptions = {},
): Promise<GcResult> {
  const { cache } = engine;
  const referenced = new Set<string>();
  const unknown: string[] = [];
  for (const out of outs) {
    if (out.out.isDir && !cache.has(out.out.digest)) {
      unknown.push(out.key);
      continue;
    }
    const manifest = out.out.isDir ? await cache.readManifest(out.out.digest) : undefined;
    for (const ref of objectsOf(out, manifest)) referenced.add(ref.digest);
  }
  if (unknown.length > 0 && !options.force)
    throw conflict(
      `the manifests of ${unknown.join(', ')} are not in the cache, so gc cannot tell which files they need: ` +
        'run `osprey data fetch` first, or pass --force',
    );
  const all = await listObjects(cache);
  const removed = all.filter((info) => !referenced.has(info.digest));
  const dryRun = options.dryRun === true;
  if (!dryRun) for (const info of removed) await cache.store.delete(info.digest);
  const tempRemoved = dryRun ? 0 : await cache.store.cleanTemp(STALE_TEMP_MS);
  return {
    removed,
    bytes: removed.reduce((a, r) => a + r.size, 0),
    kept: all.length - removed.length,
    dryRun,
    tempRemoved,
  };
}
