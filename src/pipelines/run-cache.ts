import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { sha256Hex } from '../data/index.js';
import type { LockedPath } from './lock.js';
import type { ParamValues } from './params.js';
import type { Stage } from './types.js';
import { writeAtomic } from './write-atomic.js';

/** JSON with map keys sorted at every depth, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** What a stage's run depends on: cmd, dep contents and params (plus the out paths it must produce). */
export interface StageState {
  stage: Stage;
  deps: readonly LockedPath[];
  params: ParamValues;
}

/**
 * The run-cache key of a state (DVC's idea: the lock entry minus the out hashes), or undefined when
 * the stage cannot use the run cache (an out kept out of the cache, or a stage that always runs).
 */
export function runCacheKey({ stage, deps, params }: StageState): string | undefined {
  if (stage.alwaysChanged || stage.outs.length === 0 || stage.outs.some((o) => !o.cache)) return undefined;
  const state = {
    cmd: stage.cmd,
    wdir: stage.wdir,
    deps: deps.map((d) => [d.path, d.digest]).sort(),
    params,
    outs: stage.outs.map((o) => o.path).sort(),
  };
  return sha256Hex(Buffer.from(canonicalJson(state), 'utf8'));
}

const ENTRY = z.object({
  outs: z.array(
    z.object({
      path: z.string(),
      digest: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.number(),
      nfiles: z.number().optional(),
      isDir: z.boolean().optional(),
    }),
  ),
});

/** Stage states seen before → the outputs they produced (objects live in the data cache). */
export interface RunCache {
  get(key: string): Promise<LockedPath[] | undefined>;
  put(key: string, outs: readonly LockedPath[]): Promise<void>;
}

/** A run cache stored as one small JSON file per key under `dir` (`<aa>/<key>.json`). */
export function openRunCache(dir: string): RunCache {
  const fileOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    async get(key) {
      const text = await readFile(fileOf(key), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      try {
        const parsed = ENTRY.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data.outs : undefined;
      } catch {
        // A damaged entry is a miss: the stage simply runs.
        return undefined;
      }
    },
    async put(key, outs) {
      const file = fileOf(key);
      await mkdir(dirname(file), { recursive: true });
      await writeAtomic(file, JSON.stringify({ outs }));
    },
  };
}
