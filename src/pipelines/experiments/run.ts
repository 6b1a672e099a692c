import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import type { TrackingClient } from '../../client/index.js';
import { startRun } from '../../client/index.js';
import { type DataRepo, openDataRepo } from '../../data/index.js';
import { SYSTEM_TAGS } from '../../tracking/index.js';
import { DEFAULT_PARAMS, loadPipeline } from '../load.js';
import { readLock } from '../lock.js';
import { type ReproEvent, repro } from '../repro.js';
import { type Flat, flatten, formatSet, numbersOf, writeOverrides } from './params.js';

/** Tag holding the overrides an experiment ran with. */
export const EXP_SET_TAG = 'osprey.exp.set';

/** What {@link runExperiments} needs: the project, its data repo, and where runs are logged. */
export interface ExperimentsOptions {
  root: string;
  data: DataRepo;
  client: TrackingClient;
  /** One execution per set of param overrides (dotted keys). */
  sets: Record<string, string>[];
  /** Workspaces running at once (default 1). */
  jobs?: number;
  /** Experiment the runs go to (default: the project directory's name). */
  name?: string;
  /** Hashing threads of each workspace's data repo (default: all cores). */
  threads?: number;
  /** Called when an execution starts and ends (progress for people). */
  onEvent?: (event: ExperimentEvent) => void;
}

export type ExperimentEvent =
  | { type: 'start'; index: number; set: Record<string, string>; workspace: string }
  | { type: 'repro'; index: number; event: ReproEvent }
  | { type: 'done'; index: number; result: ExperimentResult };

/** One execution: its run, and why it failed when it did. */
export interface ExperimentResult {
  set: Record<string, string>;
  runId: string;
  status: 'FINISHED' | 'FAILED';
  error?: string;
  params: Flat;
  metrics: Record<string, number>;
}

// Local state a workspace must not inherit: the cache is shared through a link, the rest is rebuilt.
const SKIPPED = new Set([
  '.git',
  join('.osprey', 'cache'),
  join('.osprey', 'state'),
  join('.osprey', 'blobs'),
]);

function copied(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !SKIPPED.has(rel) && !rel.startsWith(`.osprey${sep}osprey.db`);
}

/** Copies the project into a fresh temp dir whose `.osprey/cache` is the project's own cache. */
async function makeWorkspace(root: string, cacheDir: string): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'osprey-exp-'));
  await cp(root, workspace, { recursive: true, filter: (path) => copied(root, path) });
  await mkdir(cacheDir, { recursive: true });
  await mkdir(join(workspace, '.osprey'), { recursive: true });
  await symlink(cacheDir, join(workspace, '.osprey', 'cache'), 'dir');
  return workspace;
}

async function readYamlFile(path: string): Promise<unknown> {
  return parse(await readFile(path, 'utf8'));
}

/** The pipeline's metrics files, read and flattened (a missing or unreadable file adds nothing). */
async function readMetrics(workspace: string): Promise<Record<string, number>> {
  const pipeline = await loadPipeline(workspace);
  const metrics: Record<string, number> = {};
  for (const stage of pipeline.stages)
    for (const out of stage.outs.filter((o) => o.kind === 'metric')) {
      const doc = await readYamlFile(join(workspace, out.path)).catch(() => undefined);
      Object.assign(metrics, numbersOf(flatten(doc)));
    }
  return metrics;
}

/** Every stage dependency in the workspace's lock, as a dataset input (the lineage of the run). */
async function logLineage(client: TrackingClient, runId: string, workspace: string): Promise<void> {
  const seen = new Map<string, string>();
  for (const entry of (await readLock(workspace)).values())
    for (const dep of entry.deps) seen.set(dep.path, dep.digest);
  const inputs = [...seen].map(([path, digest]) => ({
    dataset: { name: path, digest: `sha256:${digest}`, sourceType: 'local', source: path },
    tags: [{ key: SYSTEM_TAGS.datasetContext, value: 'input' }],
  }));
  if (inputs.length > 0) await client.logInputs(runId, inputs);
}

async function execute(options: ExperimentsOptions, index: number, experimentName: string) {
  const set = options.sets[index]!;
  const workspace = await makeWorkspace(options.root, options.data.layout.cacheDir);
  options.onEvent?.({ type: 'start', index, set, workspace });
  const run = await startRun(options.client, {
    experimentName,
    runName: formatSet(set) || 'baseline',
    tags: { [EXP_SET_TAG]: formatSet(set) },
    cwd: options.root,
    endOnExit: false,
  });
  const failures: string[] = [];
  let params: Flat = {};
  let metrics: Record<string, number> = {};
  try {
    await writeOverrides(workspace, set);
    params = flatten(await readYamlFile(join(workspace, DEFAULT_PARAMS)));
    await run.logParams(params);
    const data = await openDataRepo({ root: workspace, threads: options.threads });
    try {
      const result = await repro(
        { root: workspace, data },
        {
          onEvent: (event) => {
            if (event.type === 'failed') failures.push(`stage '${event.stage}' failed: ${event.message}`);
            options.onEvent?.({ type: 'repro', index, event });
          },
        },
      );
      if (result.failed.length > 0 && failures.length === 0)
        failures.push(`failed: ${result.failed.join(', ')}`);
    } finally {
      await data.close();
    }
    metrics = await readMetrics(workspace);
    for (const [key, value] of Object.entries(metrics)) run.logMetric(key, value);
    await logLineage(options.client, run.runId, workspace);
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
  const status = failures.length > 0 ? 'FAILED' : 'FINISHED';
  await run.end(status);
  const result: ExperimentResult = { set, runId: run.runId, status, params, metrics };
  if (failures.length > 0) result.error = failures.join('; ');
  options.onEvent?.({ type: 'done', index, result });
  return result;
}

/**
 * Runs the pipeline once per param set, each in its own copy of the project (sharing the cache),
 * `jobs` at a time, and logs each execution as a tracking run: params, metrics, lineage, git commit.
 * A failing execution is a FAILED run with its error; the others go on.
 */
export async function runExperiments(options: ExperimentsOptions): Promise<ExperimentResult[]> {
  const experimentName = options.name ?? basename(options.root);
  const results: ExperimentResult[] = new Array(options.sets.length);
  let next = 0;
  const worker = async () => {
    while (next < options.sets.length) {
      const index = next++;
      results[index] = await execute(options, index, experimentName);
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, options.sets.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}
