import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DataRepo } from '../data/index.js';
import type { LockEntry, LockedPath } from './lock.js';
import type { ParamValues } from './params.js';
import type { RunCache } from './run-cache.js';
import { logTail, runShell } from './shell.js';
import { snapshotPaths } from './stage-status.js';
import type { Stage } from './types.js';

/** What a stage needs to run: the project, its data cache, where logs go. */
export interface StageContext {
  root: string;
  data: DataRepo;
  runCache: RunCache;
  logDir: string;
  signal?: AbortSignal;
  /** Adds cached outs (root-relative) to their directory's .gitignore: their content lives in the cache. */
  ignore: (paths: readonly string[]) => Promise<void>;
  onLine?: (stage: string, line: string, stream: 'stdout' | 'stderr') => void;
}

/** How running (or restoring) one stage ended. */
export type StageOutcome =
  | { kind: 'ran' | 'restored'; entry: LockEntry }
  | { kind: 'failed'; message: string; logFile: string; tail: string[] }
  | { kind: 'interrupted' };

const TAIL_LINES = 20;

/** The log file of a stage. */
export const logFileOf = (logDir: string, stage: string) => join(logDir, `${stage}.log`);

async function removeOuts(root: string, stage: Stage): Promise<void> {
  await Promise.all(
    stage.outs.map(async (out) => {
      const abs = join(root, out.path);
      await rm(abs, { recursive: true, force: true });
      await mkdir(dirname(abs), { recursive: true });
    }),
  );
}

/** Restores a state seen before from the run cache; false when some object is no longer cached. */
export async function restoreFromRunCache(
  ctx: StageContext,
  stage: Stage,
  outs: readonly LockedPath[],
): Promise<boolean> {
  await removeOuts(ctx.root, stage);
  try {
    for (const out of outs)
      await ctx.data.restore(out.path, { ...out, path: basename(out.path) }, { force: true });
    await ctx.ignore(outs.map((o) => o.path));
    return true;
  } catch {
    // An object was garbage-collected: the stage runs instead.
    return false;
  }
}

/**
 * Runs a stage's commands in its wdir, then hashes its outs and commits the cached ones to the data
 * cache. The lock entry is returned, not written: the caller records finished stages only.
 */
export async function runStage(
  ctx: StageContext,
  stage: Stage,
  deps: readonly LockedPath[],
  params: ParamValues,
): Promise<StageOutcome> {
  await removeOuts(ctx.root, stage);
  const logFile = logFileOf(ctx.logDir, stage.name);
  const shell = await runShell(stage.cmd, {
    cwd: join(ctx.root, stage.wdir),
    logFile,
    signal: ctx.signal,
    onLine: (line, stream) => ctx.onLine?.(stage.name, line, stream),
  });
  if (!shell.ok) {
    if (shell.aborted) return { kind: 'interrupted' };
    const how = shell.signal === null ? `exit code ${shell.exitCode}` : `signal ${shell.signal}`;
    return {
      kind: 'failed',
      message: `${shell.command} failed (${how})`,
      logFile,
      tail: await logTail(logFile, TAIL_LINES),
    };
  }
  const cached = stage.outs.filter((o) => o.cache).map((o) => o.path);
  const uncached = stage.outs.filter((o) => !o.cache).map((o) => o.path);
  const [committed, hashed] = await Promise.all([
    snapshotPaths(ctx.data, cached, true),
    snapshotPaths(ctx.data, uncached),
  ]);
  const missing = [...committed.missing, ...hashed.missing];
  if (missing.length > 0)
    return {
      kind: 'failed',
      message: `the commands succeeded but did not write ${missing.join(', ')}`,
      logFile,
      tail: await logTail(logFile, TAIL_LINES),
    };
  await ctx.ignore(cached);
  return {
    kind: 'ran',
    entry: { cmd: stage.cmd, deps: [...deps], params, outs: [...committed.found, ...hashed.found] },
  };
}
