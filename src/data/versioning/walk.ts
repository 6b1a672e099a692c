import type { BigIntStats } from 'node:fs';
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { invalidArgument } from '../../errors/index.js';
import { POINTER_SUFFIX } from './pointer-file.js';
import { compareCodePoints } from './rel-path.js';

/** A regular file found under a tracked path, with the metadata the stat cache keys on. */
export interface WalkedFile {
  /** POSIX path relative to the tracked directory ('' when the tracked path is this file). */
  rel: string;
  abs: string;
  size: number;
  ino: bigint;
  mtimeNs: bigint;
  /** Permission bits. */
  mode: number;
}

/** What is at a tracked path. */
export type Walked =
  | { kind: 'missing' }
  | { kind: 'file'; file: WalkedFile }
  | { kind: 'dir'; files: WalkedFile[] };

/** Suffix of the temporary files checkout writes; a crash may leave one, and it is never data. */
export const TEMP_SUFFIX = '.osprey-tmp';

const fileOf = (rel: string, abs: string, stats: BigIntStats): WalkedFile => ({
  rel,
  abs,
  size: Number(stats.size),
  ino: stats.ino,
  mtimeNs: stats.mtimeNs,
  mode: Number(stats.mode & 0o7777n),
});

/**
 * Lists the regular files at `abs` (sorted by code point), synchronously: many small stat calls
 * are several times faster without an event-loop round trip each.
 *
 * Symlinks are handled deliberately: by default any symlink is rejected (INVALID_ARGUMENT naming
 * it), so data is never silently read from, or later written to, outside the tracked tree. With
 * `follow` the link's target is tracked as if it were there (files and directories; a link back
 * to an enclosing directory is rejected as a cycle), and checkout writes regular files.
 * Other file types (sockets, FIFOs, devices) are rejected; nested pointer files are rejected
 * because tracked outputs cannot nest.
 */
export function walkOut(abs: string, follow: boolean): Walked {
  let top: BigIntStats;
  try {
    top = lstatSync(abs, { bigint: true });
    if (top.isSymbolicLink()) {
      if (!follow) throw symlinkError(abs);
      top = statSync(abs, { bigint: true });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  if (top.isFile()) return { kind: 'file', file: fileOf('', abs, top) };
  if (!top.isDirectory()) throw invalidArgument(`${abs} is neither a regular file nor a directory`);
  const files: WalkedFile[] = [];
  const ancestors = new Set<string>([`${top.dev}:${top.ino}`]);
  const visit = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      const path = join(dir, name);
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      if (name.endsWith(TEMP_SUFFIX)) continue;
      let stats = lstatSync(path, { bigint: true });
      if (stats.isSymbolicLink()) {
        if (!follow) throw symlinkError(path);
        try {
          stats = statSync(path, { bigint: true });
        } catch (error) {
          throw invalidArgument(`broken symlink ${path}: ${(error as Error).message}`);
        }
      }
      if (stats.isFile()) {
        if (name.endsWith(POINTER_SUFFIX))
          throw invalidArgument(`${path} is a pointer file: tracked data cannot contain tracked data`);
        files.push(fileOf(rel, path, stats));
      } else if (stats.isDirectory()) {
        const id = `${stats.dev}:${stats.ino}`;
        if (ancestors.has(id)) throw invalidArgument(`symlink cycle at ${path}`);
        ancestors.add(id);
        visit(path, rel);
        ancestors.delete(id);
      } else {
        throw invalidArgument(`${path} is neither a regular file nor a directory`);
      }
    }
  };
  visit(abs, '');
  files.sort((a, b) => compareCodePoints(a.rel, b.rel));
  return { kind: 'dir', files };
}

function symlinkError(path: string) {
  return invalidArgument(
    `${path} is a symlink: Osprey does not track symlinks by default; pass --follow-symlinks to track the content they point to`,
  );
}
