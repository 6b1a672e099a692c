import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { TrackingClient } from '../../client/index.js';
import { invalidArgument } from '../../errors/index.js';
import { DEFAULT_PARAMS, loadPipeline } from '../load.js';
import { type Flat, flatten, numbersOf } from './params.js';

const run = promisify(execFile);

/** The working tree, as a side of a diff. */
export const WORKSPACE = 'workspace';

/** One changed key: its old and new value (absent on one side: undefined) and the numeric change. */
export interface DiffRow {
  key: string;
  old: string | number | boolean | undefined;
  new: string | number | boolean | undefined;
  change: number | undefined;
}

/** What a side holds: params and metrics, flattened. */
interface Side {
  params: Flat;
  metrics: Record<string, number>;
}

async function gitShow(root: string, rev: string, path: string): Promise<string | undefined> {
  try {
    return (await run('git', ['show', `${rev}:${path}`], { cwd: root, maxBuffer: 64 << 20 })).stdout;
  } catch {
    return undefined;
  }
}

async function isRevision(root: string, rev: string): Promise<boolean> {
  try {
    await run('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root });
    return true;
  } catch {
    return false;
  }
}

const parsed = (text: string | undefined): unknown => {
  try {
    return text === undefined ? undefined : parse(text);
  } catch {
    return undefined;
  }
};

/** Params and metrics of the working tree or a git revision (metrics files as osprey.yaml names them now). */
async function fileSide(root: string, rev: string): Promise<Side> {
  const read = (path: string) =>
    rev === WORKSPACE ? readFile(join(root, path), 'utf8').catch(() => undefined) : gitShow(root, rev, path);
  const pipeline = await loadPipeline(root);
  const metrics: Record<string, number> = {};
  for (const stage of pipeline.stages)
    for (const out of stage.outs.filter((o) => o.kind === 'metric'))
      Object.assign(metrics, numbersOf(flatten(parsed(await read(out.path)))));
  return { params: flatten(parsed(await read(DEFAULT_PARAMS))), metrics };
}

async function runSide(client: TrackingClient, runId: string): Promise<Side> {
  const { data } = await client.getRun(runId);
  return {
    params: Object.fromEntries(data.params.map((p) => [p.key, p.value])),
    metrics: Object.fromEntries(data.metrics.map((m) => [m.key, m.value])),
  };
}

/** `HEAD`, `workspace`, any git revision, or else a run id. */
async function sideOf(root: string, client: TrackingClient | undefined, ref: string): Promise<Side> {
  if (ref === WORKSPACE || (await isRevision(root, ref))) return fileSide(root, ref);
  if (client === undefined) throw invalidArgument(`'${ref}' is neither a git revision nor '${WORKSPACE}'`);
  return runSide(client, ref);
}

function diffRows(
  a: Record<string, string | number | boolean>,
  b: Record<string, string | number | boolean>,
) {
  const rows: DiffRow[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const old = a[key];
    const now = b[key];
    // Runs keep params as text, files as YAML values: compare what they print as.
    if (old !== undefined && now !== undefined && String(old) === String(now)) continue;
    const change = typeof old === 'number' && typeof now === 'number' ? now - old : undefined;
    rows.push({ key, old, new: now, change });
  }
  return rows;
}

/** What {@link paramsDiff} and {@link metricsDiff} compare: two sides (default `HEAD` and the workspace). */
export interface DiffOptions {
  root: string;
  client?: TrackingClient;
  a?: string;
  b?: string;
}

async function sides(options: DiffOptions): Promise<[Side, Side]> {
  const { root, client } = options;
  return Promise.all([
    sideOf(root, client, options.a ?? 'HEAD'),
    sideOf(root, client, options.b ?? WORKSPACE),
  ]);
}

/** The params that differ between two commits, runs or the workspace. */
export async function paramsDiff(options: DiffOptions): Promise<DiffRow[]> {
  const [a, b] = await sides(options);
  return diffRows(a.params, b.params);
}

/** The metrics that differ between two commits, runs or the workspace, with new − old. */
export async function metricsDiff(options: DiffOptions): Promise<DiffRow[]> {
  const [a, b] = await sides(options);
  return diffRows(a.metrics, b.metrics);
}
