import type { BlobStore } from '../../store/blob/index.js';
import { type Manifest, serializeManifest, sha256Hex } from './manifest.js';
import { localManifest, objectsOf, presentIn } from './objects.js';
import { type ProjectLayout, rootRelative, type TrackedOut } from './project.js';
import { compareCodePoints } from './rel-path.js';
import { type Engine, type Scan, scanOut } from './workspace-scan.js';

/** Per-file differences between a tracked directory and its recorded manifest. */
export interface DirChanges {
  added: string[];
  modified: string[];
  deleted: string[];
}

/** The status of one tracked output. */
export interface OutStatus {
  /** Data path relative to the project root. */
  path: string;
  pointer: string;
  isDir: boolean;
  /** The workspace against the pointer. */
  workspace: 'unchanged' | 'modified' | 'missing';
  /** For a modified directory whose manifest is in the cache: which files differ. */
  changes?: DirChanges;
  /** Objects the pointer needs that the local cache lacks (a missing manifest counts as one, its entries unknown). */
  notInCache: number;
  /** Objects the pointer needs that the remote lacks, when a remote was asked about. */
  notInRemote?: number;
  /** Files actually read to answer (the rest were vouched for by the stat cache). */
  hashed: number;
}

/** Options of `status`. */
export interface StatusOptions {
  /** Also count objects missing from this remote store. */
  remote?: BlobStore;
  jobs?: number;
}

/** The canonical digest of a scanned directory, as `add` would record it. */
export function scannedDigest(scan: Scan & { kind: 'dir' }): string {
  return sha256Hex(
    serializeManifest({
      entries: scan.files.map(({ rel, digest, size, mode }) => ({ path: rel, digest, size, mode })),
    }),
  );
}

/** Files added, modified or deleted in `scan` relative to `manifest`. */
export function diffManifest(manifest: Manifest, scan: Scan): DirChanges {
  const now = new Map(scan.kind === 'dir' ? scan.files.map((f) => [f.rel, f]) : []);
  const changes: DirChanges = { added: [], modified: [], deleted: [] };
  const recorded = new Set<string>();
  for (const entry of manifest.entries) {
    recorded.add(entry.path);
    const file = now.get(entry.path);
    if (file === undefined) changes.deleted.push(entry.path);
    else if (file.digest !== entry.digest || file.mode !== entry.mode) changes.modified.push(entry.path);
  }
  for (const rel of now.keys()) if (!recorded.has(rel)) changes.added.push(rel);
  changes.added.sort(compareCodePoints);
  return changes;
}

/** Compares one out with the workspace, the cache and optionally a remote. */
export async function outStatus(
  engine: Engine,
  layout: ProjectLayout,
  tracked: TrackedOut,
  options: StatusOptions = {},
): Promise<OutStatus> {
  const { out } = tracked;
  const scan = await scanOut(engine, tracked.abs, tracked.key, {
    follow: out.followSymlinks === true,
    intoCache: false,
    label: tracked.key,
  });
  const manifest = await localManifest(engine.cache, tracked);
  let workspace: OutStatus['workspace'] = 'missing';
  let changes: DirChanges | undefined;
  if (scan.kind === 'file')
    workspace = !out.isDir && scan.file.digest === out.digest ? 'unchanged' : 'modified';
  else if (scan.kind === 'dir') {
    workspace = out.isDir && scannedDigest(scan) === out.digest ? 'unchanged' : 'modified';
    if (workspace === 'modified' && manifest !== undefined) changes = diffManifest(manifest, scan);
  }
  const refs = objectsOf(tracked, manifest);
  let notInCache = refs.filter((r) => !engine.cache.has(r.digest, r.size)).length;
  if (out.isDir && manifest === undefined) notInCache = Math.max(notInCache, 1);
  const status: OutStatus = {
    path: tracked.key,
    pointer: rootRelative(layout, tracked.pointer.file),
    isDir: out.isDir === true,
    workspace,
    ...(changes ? { changes } : {}),
    notInCache,
    hashed: scan.kind === 'missing' ? 0 : scan.hashed,
  };
  if (options.remote) {
    const present = await presentIn(options.remote, refs, options.jobs ?? 16);
    status.notInRemote = refs.filter((r) => !present.has(r.digest)).length;
  }
  return status;
}
