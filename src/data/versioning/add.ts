import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { invalidArgument, notFound } from '../../errors/index.js';
import { ensureIgnored } from './gitignore.js';
import { type ManifestEntry, manifestTotals, serializeManifest, sha256Hex } from './manifest.js';
import {
  POINTER_SUFFIX,
  type Pointer,
  type PointerOut,
  pointerPathOf,
  readPointer,
  writePointer,
} from './pointer-file.js';
import { type ProjectLayout, rootRelative, trackedAncestor } from './project.js';
import { unsafeRelativePath } from './rel-path.js';
import { type Engine, scanOut } from './workspace-scan.js';

/** Options of `add`. */
export interface AddOptions {
  /** Track the content symlinks point to instead of rejecting them (recorded in the pointer). */
  followSymlinks?: boolean;
}

/** What `add` did for one path. */
export interface AddResult {
  /** Data path relative to the project root. */
  path: string;
  /** Pointer file relative to the project root. */
  pointer: string;
  digest: string;
  size: number;
  isDir: boolean;
  nfiles?: number;
  /** Files read (the others were known unchanged from the stat cache). */
  hashed: number;
  /** False when the pointer already recorded this content. */
  changed: boolean;
}

function checkAddable(layout: ProjectLayout, cwd: string, target: string): { abs: string; key: string } {
  const abs = resolve(cwd, target.replace(/[/\\]+$/, ''));
  const key = rootRelative(layout, abs);
  if (basename(abs).endsWith(POINTER_SUFFIX))
    throw invalidArgument(`${target} is a pointer file; give the data path it describes`);
  const reason = unsafeRelativePath(basename(abs));
  if (reason !== undefined)
    throw invalidArgument(`cannot track ${JSON.stringify(target)}: its name ${reason}`);
  const parent = trackedAncestor(layout, abs);
  if (parent !== undefined)
    throw invalidArgument(
      `${target} is inside the tracked directory ${relative(cwd, parent)}; re-add that directory instead`,
    );
  return { abs, key };
}

/**
 * Describes a file or directory by content (a pointer out named after it), reading only what the
 * stat cache cannot vouch for; `intoCache` also copies new content (and a directory's manifest)
 * into the cache. Undefined when nothing is at `abs`.
 */
export async function snapshotPath(
  engine: Engine,
  abs: string,
  key: string,
  options: { follow: boolean; intoCache: boolean },
): Promise<{ out: PointerOut; hashed: number } | undefined> {
  const scan = await scanOut(engine, abs, key, { ...options, label: key });
  if (scan.kind === 'missing') return undefined;
  const path = basename(abs);
  let out: PointerOut;
  if (scan.kind === 'file') {
    out = { path, digest: scan.file.digest, size: scan.file.size };
  } else {
    const entries: ManifestEntry[] = scan.files.map(({ rel, digest, size, mode }) => ({
      path: rel,
      digest,
      size,
      mode,
    }));
    const manifest = { entries };
    const bytes = serializeManifest(manifest);
    const digest = options.intoCache ? (await engine.cache.store.put(bytes)).digest : sha256Hex(bytes);
    out = { path, digest, ...manifestTotals(manifest), isDir: true };
  }
  if (options.follow) out.followSymlinks = true;
  return { out, hashed: scan.hashed };
}

/**
 * Tracks a file or directory: hashes it (reading only what the stat cache cannot vouch for),
 * copies new content into the cache, writes `<path>.osprey` and adds the path to the
 * .gitignore of its directory.
 */
export async function addPath(
  engine: Engine,
  layout: ProjectLayout,
  cwd: string,
  target: string,
  options: AddOptions = {},
): Promise<AddResult> {
  const { abs, key } = checkAddable(layout, cwd, target);
  const pointerFile = pointerPathOf(abs);
  const previous = existsSync(pointerFile) ? await readPointer(pointerFile) : undefined;
  const follow = options.followSymlinks ?? previous?.outs[0]?.followSymlinks ?? false;
  if (!follow && lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink())
    throw invalidArgument(
      `${target} is a symlink: pass --follow-symlinks to track what it points to, or add its target`,
    );
  const snapshot = await snapshotPath(engine, abs, key, { follow, intoCache: true });
  if (snapshot === undefined) throw notFound(`${target} does not exist`);
  const { out, hashed } = snapshot;
  const before = previous?.outs.find((o) => o.path === out.path);
  // Keep what people wrote in the pointer (desc, meta, …) across re-adds.
  const { path: _p, digest: _d, size: _s, nfiles: _n, isDir: _i, followSymlinks: _f, ...kept } = before ?? {};
  const pointer: Pointer = { file: pointerFile, outs: [{ ...out, ...kept }], extra: previous?.extra ?? {} };
  const changed = before?.digest !== out.digest || before?.size !== out.size;
  if (changed || previous === undefined) await writePointer(pointer);
  await ensureIgnored(dirname(abs), basename(abs));
  return {
    path: key,
    pointer: rootRelative(layout, pointerFile),
    digest: out.digest,
    size: out.size,
    isDir: out.isDir === true,
    ...(out.nfiles === undefined ? {} : { nfiles: out.nfiles }),
    hashed,
    changed,
  };
}
