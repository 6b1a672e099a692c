import { notFound } from '../errors/index.js';
import type { Database, RunTable } from '../store/db/index.js';
import type { DatasetInput, Metric, Run, RunInfo, Tag } from './types.js';

/** Loads whole runs (info, latest metrics, params, tags, dataset inputs) in a few batched queries. */
export function createRunReader({ db, profile }: Database) {
  // Leave room in one statement's parameters for the rest of the query.
  const chunkSize = Math.min(1000, profile.maxParameters - 16);

  async function load(runIds: string[]): Promise<Run[]> {
    if (runIds.length === 0) return [];
    const runs: Run[] = [];
    for (let i = 0; i < runIds.length; i += chunkSize)
      runs.push(...(await loadChunk(runIds.slice(i, i + chunkSize))));
    return runs;
  }

  async function loadChunk(ids: string[]): Promise<Run[]> {
    const [infos, metrics, params, tags, inputs] = await Promise.all([
      db.selectFrom('runs').selectAll().where('run_id', 'in', ids).execute(),
      db.selectFrom('latest_metrics').selectAll().where('run_id', 'in', ids).orderBy('key').execute(),
      db.selectFrom('params').selectAll().where('run_id', 'in', ids).orderBy('key').execute(),
      db.selectFrom('tags').selectAll().where('run_id', 'in', ids).orderBy('key').execute(),
      db
        .selectFrom('run_inputs')
        .innerJoin('datasets', 'datasets.dataset_id', 'run_inputs.dataset_id')
        .selectAll()
        .where('run_inputs.run_id', 'in', ids)
        .execute(),
    ]);
    const byId = new Map<string, Run>();
    for (const row of infos) {
      byId.set(row.run_id, {
        info: toRunInfo(row),
        data: { metrics: [], params: [], tags: [] },
        inputs: { datasetInputs: [] },
      });
    }
    for (const m of metrics) byId.get(m.run_id)?.data.metrics.push(toMetric(m));
    for (const p of params) byId.get(p.run_id)?.data.params.push({ key: p.key, value: p.value });
    for (const t of tags) byId.get(t.run_id)?.data.tags.push({ key: t.key, value: t.value });
    for (const input of inputs) byId.get(input.run_id)?.inputs.datasetInputs.push(toDatasetInput(input));
    // Keep the caller's order (search order).
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  return {
    load,
    async get(runId: string): Promise<Run> {
      const [run] = await load([runId]);
      if (!run) throw notFound(`Run '${runId}' not found`);
      return run;
    },
  };
}

export type RunReader = ReturnType<typeof createRunReader>;

/** Maps a runs row to the domain RunInfo. */
export function toRunInfo(row: RunTable): RunInfo {
  return {
    runId: row.run_id,
    runName: row.run_name,
    experimentId: String(row.experiment_id),
    userId: row.user_id,
    status: row.status as RunInfo['status'],
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? undefined : Number(row.end_time),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as RunInfo['lifecycleStage'],
  };
}

/** Maps a stored metric row (NULL value = NaN) to the domain Metric. */
export function toMetric(row: {
  key: string;
  value: number | null;
  timestamp: number;
  step: number;
}): Metric {
  return {
    key: row.key,
    value: row.value ?? Number.NaN,
    timestamp: Number(row.timestamp),
    step: Number(row.step),
  };
}

function toDatasetInput(row: {
  tags: string;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}): DatasetInput {
  return {
    tags: JSON.parse(row.tags) as Tag[],
    dataset: {
      name: row.name,
      digest: row.digest,
      sourceType: row.source_type,
      source: row.source,
      schema: row.schema ?? undefined,
      profile: row.profile ?? undefined,
    },
  };
}
