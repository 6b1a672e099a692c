import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { invalidArgument, notFound } from '../../errors/index.js';
import { POINTER_SUFFIX, type Pointer, type PointerOut, pointerPathOf, readPointer } from './pointer-file.js';

/** Where a project keeps its data-versioning state. */
export interface ProjectLayout {
  /** Absolute project root (holds `.osprey/`; pointer paths are checked to stay inside it). */
  root: string;
  /** `<root>/.osprey` */
  stateDir: string;
  /** `<root>/.osprey/cache`: the local content-addressed cache. */
  cacheDir: string;
  /** `<root>/.osprey/state/stat-cache.db`. */
  statCacheFile: string;
}

/** The layout of a project rooted at `root`. */
export function projectLayout(root: string): ProjectLayout {
  const abs = resolve(root);
  const stateDir = join(abs, '.osprey');
  return {
    root: abs,
    stateDir,
    cacheDir: join(stateDir, 'cache'),
    statCacheFile: join(stateDir, 'state', 'stat-cache.db'),
  };
}

/**
 * The project root for `cwd`: the nearest ancestor holding a `.osprey/` directory, else the
 * nearest holding `.git`, else `cwd` itself.
 */
export function findProjectRoot(cwd: string): string {
  const start = resolve(cwd);
  let gitRoot: string | undefined;
  for (let dir = start; ; dir = dirname(dir)) {
    if (statSync(join(dir, '.osprey'), { throwIfNoEntry: false })?.isDirectory()) return dir;
    if (gitRoot === undefined && existsSync(join(dir, '.git'))) gitRoot = dir;
    if (dirname(dir) === dir) return gitRoot ?? start;
  }
}

// config.yaml (remotes) is meant for git; the rest is local state, including the embedded
// tracking store that shares this directory.
const STATE_IGNORE = [
  '# Osprey: local state, never committed (config.yaml is)',
  '/cache/',
  '/state/',
  '/config.local.yaml',
  '/osprey.db*',
  '/blobs/',
  '',
].join('\n');

/** Creates `.osprey/` with a .gitignore that keeps the cache, the stat cache and local config out of git. */
export async function ensureStateDir(layout: ProjectLayout): Promise<void> {
  await mkdir(layout.stateDir, { recursive: true });
  const file = join(layout.stateDir, '.gitignore');
  if (!existsSync(file)) await writeFile(file, STATE_IGNORE, { flag: 'wx' }).catch(() => undefined);
}

/** POSIX path of `abs` relative to the root; INVALID_ARGUMENT when outside it or inside `.osprey`/`.git`. */
export function rootRelative(layout: ProjectLayout, abs: string): string {
  const rel = relative(layout.root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw invalidArgument(`${abs} is not inside the project at ${layout.root}`);
  const posix = rel.split(sep).join('/');
  const first = posix.split('/')[0];
  if (first === '.osprey' || first === '.git')
    throw invalidArgument(`${posix} is inside ${first}/, which Osprey does not track`);
  return posix;
}

/** One tracked output: its pointer, where its data is, and its key in the stat cache. */
export interface TrackedOut {
  pointer: Pointer;
  out: PointerOut;
  /** Absolute path of the data. */
  abs: string;
  /** POSIX path relative to the project root. */
  key: string;
}

/** The outs of a pointer, with their absolute paths checked to lie inside the project. */
export function outsOf(layout: ProjectLayout, pointer: Pointer): TrackedOut[] {
  return pointer.outs.map((out) => {
    const abs = resolve(dirname(pointer.file), out.path);
    return { pointer, out, abs, key: rootRelative(layout, abs) };
  });
}

const SKIP_DIRS = new Set(['.git', '.osprey', 'node_modules']);

/** Every pointer file in the project (not descending into tracked directories, .git, .osprey or node_modules). */
export async function findPointerFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isFile() && entry.name.endsWith(POINTER_SUFFIX)) found.push(path);
      else if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && !names.has(entry.name + POINTER_SUFFIX))
        await visit(path);
    }
  };
  await visit(root);
  return found.sort();
}

/**
 * The outs named by `targets` (data paths, pointer files, or directories standing for every
 * pointer below them; relative to `cwd`), or every out in the project when there are none.
 * NOT_FOUND for a path that is not tracked.
 */
export async function resolveOuts(
  layout: ProjectLayout,
  cwd: string,
  targets: readonly string[] = [],
): Promise<TrackedOut[]> {
  if (targets.length === 0) {
    const pointers = await Promise.all((await findPointerFiles(layout.root)).map(readPointer));
    return pointers.flatMap((p) => outsOf(layout, p));
  }
  const outs: TrackedOut[] = [];
  for (const target of targets) {
    const abs = resolve(cwd, target.replace(/[/\\]+$/, ''));
    const file = abs.endsWith(POINTER_SUFFIX) ? abs : pointerPathOf(abs);
    if (!existsSync(file) && statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
      // A directory that is not itself tracked stands for every pointer below it (DVC's -R).
      const below = await findPointerFiles(abs);
      if (below.length > 0) {
        for (const pointer of below) outs.push(...outsOf(layout, await readPointer(pointer)));
        continue;
      }
    }
    if (!existsSync(file)) {
      const parent = trackedAncestor(layout, abs);
      throw notFound(
        parent
          ? `${target} is inside the tracked directory ${relative(cwd, parent) || '.'}: give that directory`
          : `${target} is not tracked (no ${relative(cwd, file)}); track it with \`osprey data add\``,
      );
    }
    outs.push(...outsOf(layout, await readPointer(file)));
  }
  return outs;
}

/** The nearest ancestor of `abs` (inside the root) that has a pointer file, if any. */
export function trackedAncestor(layout: ProjectLayout, abs: string): string | undefined {
  for (let dir = dirname(abs); dir.startsWith(layout.root) && dir !== layout.root; dir = dirname(dir)) {
    if (existsSync(pointerPathOf(dir))) return dir;
  }
  return undefined;
}
