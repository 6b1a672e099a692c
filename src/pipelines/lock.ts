import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { PointerOut } from '../data/index.js';
import { definitionError } from './errors.js';
import type { ParamValues } from './params.js';
import { writeAtomic } from './write-atomic.js';
import { createYamlReader, type YamlReader } from './yaml-file.js';

/** The lock file's name, beside osprey.yaml. */
export const LOCK_FILE = 'osprey.lock';
const LOCK_SCHEMA_VERSION = 1;

/** A file or directory as a stage consumed or produced it (root-relative path, content digest). */
export interface LockedPath {
  path: string;
  /** Hex SHA-256 of the file, or of the directory's manifest. */
  digest: string;
  size: number;
  nfiles?: number;
  isDir?: boolean;
}

/** What one stage last ran with and produced. */
export interface LockEntry {
  cmd: string[];
  deps: LockedPath[];
  params: ParamValues;
  outs: LockedPath[];
}

/** Stage name → entry. */
export type Lock = Map<string, LockEntry>;

const DIGEST = /^sha256:([0-9a-f]{64})$/;
const LOCKED_PATH = z.strictObject({
  path: z.string().min(1),
  digest: z.string().regex(DIGEST, 'must be sha256:<64 hex>'),
  size: z.number().int().nonnegative(),
  nfiles: z.number().int().nonnegative().optional(),
  isDir: z.boolean().optional(),
});
const LOCK_SCHEMA = z.strictObject({
  schema: z.literal(LOCK_SCHEMA_VERSION),
  stages: z
    .record(
      z.string(),
      z.strictObject({
        cmd: z.union([z.string(), z.array(z.string())]),
        deps: z.array(LOCKED_PATH).optional(),
        params: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
        outs: z.array(LOCKED_PATH).optional(),
      }),
    )
    .nullable(),
});

/** A snapshot (path relative to the root) as the lock records it. */
export function lockedPath(path: string, snap: PointerOut): LockedPath {
  const locked: LockedPath = { path, digest: snap.digest, size: snap.size };
  if (snap.isDir) {
    locked.nfiles = snap.nfiles ?? 0;
    locked.isDir = true;
  }
  return locked;
}

const fromYaml = (p: z.infer<typeof LOCKED_PATH>): LockedPath => ({
  ...p,
  digest: DIGEST.exec(p.digest)![1]!,
});

/** Reads `osprey.lock` (an empty lock when there is none); INVALID_ARGUMENT naming the field when malformed. */
export async function readLock(root: string, read: YamlReader = createYamlReader()): Promise<Lock> {
  const file = join(root, LOCK_FILE);
  if (!existsSync(file)) return new Map();
  const raw = await read(file, { file: LOCK_FILE });
  const parsed = LOCK_SCHEMA.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw definitionError(
      { file: LOCK_FILE },
      issue.path,
      `${issue.message} (delete the file to start afresh)`,
    );
  }
  const lock: Lock = new Map();
  for (const [name, entry] of Object.entries(parsed.data.stages ?? {})) {
    lock.set(name, {
      cmd: typeof entry.cmd === 'string' ? [entry.cmd] : entry.cmd,
      deps: (entry.deps ?? []).map(fromYaml),
      params: entry.params ?? {},
      outs: (entry.outs ?? []).map(fromYaml),
    });
  }
  return lock;
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const sortedKeys = <T>(record: Record<string, T>) => Object.keys(record).sort();

function pathYaml(p: LockedPath) {
  return { path: p.path, digest: `sha256:${p.digest}`, size: p.size, nfiles: p.nfiles, isDir: p.isDir };
}

/** The lock as YAML: stages, paths, params files and keys all in sorted order, so equal locks are equal bytes. */
export function formatLock(lock: Lock): string {
  const stages: Record<string, unknown> = {};
  for (const name of [...lock.keys()].sort()) {
    const entry = lock.get(name)!;
    const params: Record<string, Record<string, unknown>> = {};
    for (const file of sortedKeys(entry.params)) {
      const values = entry.params[file]!;
      params[file] = Object.fromEntries(sortedKeys(values).map((k) => [k, values[k]]));
    }
    stages[name] = {
      cmd: entry.cmd.length === 1 ? entry.cmd[0] : entry.cmd,
      deps: entry.deps.length > 0 ? [...entry.deps].sort(byPath).map(pathYaml) : undefined,
      params: Object.keys(params).length > 0 ? params : undefined,
      outs: entry.outs.length > 0 ? [...entry.outs].sort(byPath).map(pathYaml) : undefined,
    };
  }
  return stringify({ schema: LOCK_SCHEMA_VERSION, stages }, { lineWidth: 0 });
}

/** Records finished stages one at a time (each write replaces the whole file atomically). */
export interface LockWriter {
  record(name: string, entry: LockEntry): Promise<void>;
  /** Waits for every write queued so far. */
  flush(): Promise<void>;
}

/**
 * A writer of `osprey.lock` starting from `lock` (which it updates in place). Records arriving
 * while a write is in flight are coalesced into the next one, so N stages cost far fewer than N
 * rewrites of the whole file; record() resolves once a write containing the entry is on disk.
 */
export function createLockWriter(root: string, lock: Lock): LockWriter {
  const file = join(root, LOCK_FILE);
  let dirty = false;
  let writing: Promise<void> | undefined;
  const drain = async () => {
    try {
      while (dirty) {
        dirty = false;
        await writeAtomic(file, formatLock(lock));
      }
    } finally {
      writing = undefined;
    }
  };
  return {
    record(name, entry) {
      lock.set(name, entry);
      dirty = true;
      writing ??= drain();
      return writing;
    },
    flush: () => writing ?? Promise.resolve(),
  };
}
