import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, rmdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { conflict, isOspreyError, notFound } from '../../errors/index.js';
import type { LinkKind, RestoreJob } from './file-ops.js';
import { jobError } from './job-error.js';
import { FILE_MODE, type ManifestEntry } from './manifest.js';
import type { ProjectLayout, TrackedOut } from './project.js';
import type { StatRecord } from './stat-cache.js';
import { TEMP_SUFFIX } from './walk.js';
import { type Engine, type Scan, type ScannedFile, scanOut } from './workspace-scan.js';

/** Options of `checkout`. */
export interface CheckoutOptions {
  /** copy (default, verified), hardlink (files become read-only links to the cache) or reflink. */
  link?: LinkKind;
  /**
   * Overwrite workspace changes whose content is not in the cache, remove files the pointer
   * does not list, and replace symlinks or files standing where directories belong.
   */
  force?: boolean;
}

/** What checkout did to one output. */
export interface CheckoutResult {
  path: string;
  written: number;
  unchanged: number;
  /** Files removed because the pointer does not list them (only with force). */
  removed: string[];
  /** Files the pointer does not list, left in place (without force). */
  kept: string[];
}

const MAX_LISTED = 5;
const listed = (paths: readonly string[]) =>
  paths.slice(0, MAX_LISTED).join(', ') +
  (paths.length > MAX_LISTED ? ` and ${paths.length - MAX_LISTED} more` : '');

function removePath(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

// The workspace state, or (with force) a clean slate when what is there cannot even be scanned
// (a symlink where symlinks are not followed, a socket, a nested pointer file).
async function scanForCheckout(engine: Engine, tracked: TrackedOut, force: boolean): Promise<Scan> {
  const scan = () =>
    scanOut(engine, tracked.abs, tracked.key, {
      follow: tracked.out.followSymlinks === true,
      intoCache: false,
      label: tracked.key,
    });
  try {
    return await scan();
  } catch (error) {
    if (!force || !isOspreyError(error) || error.code !== 'INVALID_ARGUMENT') throw error;
    removePath(tracked.abs);
    return { kind: 'missing' };
  }
}

/**
 * Restores one output from the cache. Each file is written to a temp name beside it, verified
 * against its digest and renamed into place; files already right are left alone. Refuses (CONFLICT)
 * to destroy content that exists nowhere else unless `force`.
 */
export async function checkoutOut(
  engine: Engine,
  _layout: ProjectLayout,
  tracked: TrackedOut,
  options: CheckoutOptions = {},
): Promise<CheckoutResult> {
  const { cache } = engine;
  const { out } = tracked;
  const force = options.force === true;
  if (!cache.has(out.digest, out.isDir ? undefined : out.size))
    throw notFound(
      `${tracked.key} (${out.digest.slice(0, 12)}) is not in the cache: run \`osprey data pull\``,
    );
  const wanted: ManifestEntry[] = out.isDir
    ? (await cache.readManifest(out.digest)).entries
    : [{ path: '', digest: out.digest, size: out.size, mode: FILE_MODE }];
  const absent = wanted.filter((e) => !cache.has(e.digest, e.size));
  if (absent.length > 0)
    throw notFound(
      `${absent.length} file(s) of ${tracked.key} are not in the cache (${listed(absent.map((e) => e.path))}): run \`osprey data pull\``,
    );

  let scan = await scanForCheckout(engine, tracked, force);
  // A file where a directory belongs, or the reverse.
  if (scan.kind !== 'missing' && (scan.kind === 'dir') !== (out.isDir === true)) {
    const files = scan.kind === 'dir' ? scan.files : [scan.file];
    const unsaved = files.filter((f) => !cache.has(f.digest, f.size));
    if (unsaved.length > 0 && !force)
      throw conflict(
        `${tracked.key} is a ${scan.kind} but the pointer records a ${out.isDir ? 'directory' : 'file'}, and ` +
          `${listed(unsaved.map((f) => f.rel || tracked.key))} exist only in the workspace: pass --force to replace`,
      );
    removePath(tracked.abs);
    scan = { kind: 'missing' };
  }
  const current = new Map<string, ScannedFile>();
  if (scan.kind === 'dir') for (const f of scan.files) current.set(f.rel, f);
  else if (scan.kind === 'file') current.set('', scan.file);

  const toWrite: ManifestEntry[] = [];
  const unsaved: string[] = [];
  let unchanged = 0;
  const wantedPaths = new Set<string>();
  for (const entry of wanted) {
    wantedPaths.add(entry.path);
    const file = current.get(entry.path);
    if (file !== undefined && file.digest === entry.digest && (!out.isDir || file.mode === entry.mode)) {
      unchanged += 1;
      continue;
    }
    if (file !== undefined && !force && !cache.has(file.digest, file.size))
      unsaved.push(file.rel || tracked.key);
    toWrite.push(entry);
  }
  const extras = [...current.keys()].filter((rel) => !wantedPaths.has(rel));
  // An extra file standing where a wanted file needs a directory (or the reverse) must go first.
  const extraSet = new Set(extras);
  const blocking = extras.filter((rel) => wanted.some((e) => e.path.startsWith(`${rel}/`)));
  for (const entry of toWrite) {
    for (const rel of extraSet) if (rel.startsWith(`${entry.path}/`)) blocking.push(rel);
  }
  if (!force && (unsaved.length > 0 || blocking.length > 0)) {
    const problems = [
      unsaved.length > 0 ? `would overwrite changes that are not in the cache: ${listed(unsaved)}` : '',
      blocking.length > 0 ? `untracked files are in the way: ${listed([...new Set(blocking)])}` : '',
    ].filter(Boolean);
    throw conflict(
      `checkout of ${tracked.key} ${problems.join('; ')}. Save them with \`osprey data add\`, or pass --force`,
    );
  }
  const removed: string[] = [];
  if (force) {
    for (const rel of extras) {
      const abs = join(tracked.abs, rel);
      unlinkSync(abs);
      removed.push(rel);
      pruneEmptyDirs(dirname(abs), tracked.abs);
    }
  }

  const records: StatRecord[] = [];
  let firstError: Error | undefined;
  if (toWrite.length > 0) {
    const ensureDir = directoryGuard(tracked.abs, force, out.followSymlinks === true);
    const jobs: RestoreJob[] = toWrite.map((entry) => {
      const target = entry.path === '' ? tracked.abs : join(tracked.abs, entry.path);
      ensureDir(dirname(target));
      const how = options.link === 'hardlink' && entry.mode !== FILE_MODE ? 'copy' : (options.link ?? 'copy');
      return {
        op: 'restore',
        object: cache.objectPath(entry.digest),
        target,
        temp: join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`),
        digest: entry.digest,
        size: entry.size,
        mode: entry.mode,
        how,
      };
    });
    const sizes = toWrite.map((e) => e.size);
    engine.progress.start(
      `checking out ${tracked.key}`,
      jobs.length,
      sizes.reduce((a, b) => a + b, 0),
    );
    try {
      const results = await engine.runner.run(jobs, {
        sizes,
        onProgress: (p) => engine.progress.advance(p.files, p.bytes),
      });
      results.forEach((result, i) => {
        const entry = toWrite[i]!;
        if (!result.ok) {
          firstError ??= jobError(result.error, jobs[i]!.target);
          return;
        }
        const facts = result.value;
        records.push({
          path: entry.path === '' ? tracked.key : `${tracked.key}/${entry.path}`,
          ino: facts.ino,
          size: facts.size,
          mtimeNs: facts.mtimeNs,
          digest: facts.digest,
          hashedAtNs: facts.readAtNs,
        });
      });
    } finally {
      engine.progress.stop();
      engine.statCache.record(records);
    }
  }
  if (firstError) throw firstError;
  return { path: tracked.key, written: records.length, unchanged, removed, kept: force ? [] : extras };
}

// Creates the directories files go into, refusing to write through a symlink (or over a file)
// standing where a directory of the output belongs unless forced; outs that follow symlinks
// accept symlinked directories. Directories above the output are created as needed.
function directoryGuard(top: string, force: boolean, follow: boolean): (dir: string) => void {
  const ready = new Set<string>();
  const ensure = (dir: string): void => {
    if (ready.has(dir)) return;
    if (dir !== top && !dir.startsWith(`${top}/`)) {
      mkdirSync(dir, { recursive: true });
      ready.add(dir);
      return;
    }
    if (dir !== top) ensure(dirname(dir));
    const stats = lstatSync(dir, { throwIfNoEntry: false });
    if (stats === undefined) mkdirSync(dir, { recursive: true });
    else if (!stats.isDirectory()) {
      const linkedDir = stats.isSymbolicLink() && statSync(dir, { throwIfNoEntry: false })?.isDirectory();
      if (!(follow && linkedDir)) {
        if (!force)
          throw conflict(
            `${dir} is a ${stats.isSymbolicLink() ? 'symlink' : 'file'} where a directory belongs: pass --force to replace it`,
          );
        removePath(dir);
        mkdirSync(dir);
      }
    }
    ready.add(dir);
  };
  return ensure;
}

function pruneEmptyDirs(dir: string, top: string): void {
  for (let d = dir; d.startsWith(`${top}/`); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}
