import type { DataRepo } from '../data/index.js';
import { type LockEntry, type LockedPath, lockedPath } from './lock.js';
import type { ParamValues } from './params.js';
import { canonicalJson } from './run-cache.js';
import type { Stage } from './types.js';

/** Snapshots of paths (root-relative); `missing` lists the ones that do not exist. */
export interface Snapshots {
  found: LockedPath[];
  missing: string[];
}

/** Hashes paths through data versioning (the stat cache spares unchanged files); `commit` caches their content. */
export async function snapshotPaths(
  data: DataRepo,
  paths: readonly string[],
  commit = false,
): Promise<Snapshots> {
  const snaps = await Promise.all(paths.map((p) => data.snapshot(p, { commit })));
  const found: LockedPath[] = [];
  const missing: string[] = [];
  snaps.forEach((snap, i) => {
    if (snap === undefined) missing.push(paths[i]!);
    else found.push(lockedPath(paths[i]!, snap));
  });
  return { found, missing };
}

const sameCmd = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((c, i) => c === b[i]);

function pathChanges(
  kind: 'dep' | 'out',
  now: readonly LockedPath[],
  locked: readonly LockedPath[],
): string[] {
  const before = new Map(locked.map((p) => [p.path, p]));
  const reasons: string[] = [];
  for (const p of now) {
    const old = before.get(p.path);
    if (old === undefined) reasons.push(`${kind} ${p.path} is new`);
    else if (old.digest !== p.digest) reasons.push(`${kind} ${p.path} changed`);
    before.delete(p.path);
  }
  for (const path of before.keys()) reasons.push(`${kind} ${path} was removed`);
  return reasons;
}

function paramChanges(now: ParamValues, locked: ParamValues): string[] {
  const reasons: string[] = [];
  for (const [file, values] of Object.entries(now)) {
    const old = locked[file] ?? {};
    for (const [key, value] of Object.entries(values))
      if (canonicalJson(value) !== canonicalJson(old[key])) reasons.push(`param ${key} (${file}) changed`);
    for (const key of Object.keys(old))
      if (!(key in values)) reasons.push(`param ${key} (${file}) was removed`);
  }
  for (const file of Object.keys(locked)) if (!(file in now)) reasons.push(`params of ${file} were removed`);
  return reasons;
}

/**
 * Why a stage must run (empty: it is up to date). DVC's rules: a changed cmd, dep content, param
 * value or out (modified or missing) against the lock; a stage without a lock entry runs.
 */
export async function changeReasons(
  data: DataRepo,
  stage: Stage,
  locked: LockEntry | undefined,
  deps: readonly LockedPath[],
  params: ParamValues,
): Promise<string[]> {
  if (stage.frozen) return [];
  if (stage.alwaysChanged) return ['always_changed'];
  if (locked === undefined) return ['not in the lock'];
  const reasons = [
    ...(sameCmd(stage.cmd, locked.cmd) ? [] : ['cmd changed']),
    ...pathChanges('dep', deps, locked.deps),
    ...paramChanges(params, locked.params),
  ];
  if (reasons.length > 0) return reasons;
  const outs = await snapshotPaths(
    data,
    stage.outs.map((o) => o.path),
  );
  return [...outs.missing.map((p) => `out ${p} is missing`), ...pathChanges('out', outs.found, locked.outs)];
}
