import type {
  ArtifactEntry,
  DatasetInput,
  Experiment,
  Metric,
  Run,
  RunInfo,
  Tag,
} from '../../tracking/index.js';

/** Domain → MLflow wire JSON: snake_case names, int64 as numbers, empty and unset fields omitted. */

type Json = string | number | boolean | Json[] | { [key: string]: Json | undefined } | undefined;

/** Drops undefined values and empty lists, as protobuf's JSON printer omits unset fields. */
export function compact<T extends Record<string, Json>>(value: T): Partial<T> {
  const out: Record<string, Json> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || (Array.isArray(field) && field.length === 0)) continue;
    if (field && typeof field === 'object' && !Array.isArray(field) && Object.keys(field).length === 0)
      continue;
    out[key] = field;
  }
  return out as Partial<T>;
}

const tags = (list: Tag[]) => list.map((t) => ({ key: t.key, value: t.value }));

/** Proto3 JSON spells non-finite doubles as strings. */
function double(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

export function experimentToWire(e: Experiment) {
  return compact({
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: tags(e.tags),
  });
}

export function runInfoToWire(info: RunInfo) {
  return compact({
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId || undefined,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  });
}

export function metricToWire(m: Metric, runId?: string) {
  return compact({ key: m.key, value: double(m.value), timestamp: m.timestamp, step: m.step, run_id: runId });
}

function datasetInputToWire(input: DatasetInput) {
  const d = input.dataset;
  return compact({
    tags: tags(input.tags),
    dataset: compact({
      name: d.name,
      digest: d.digest,
      source_type: d.sourceType,
      source: d.source,
      schema: d.schema,
      profile: d.profile,
    }),
  });
}

export function runToWire(run: Run) {
  return compact({
    info: runInfoToWire(run.info),
    data: compact({
      metrics: run.data.metrics.map((m) => metricToWire(m)),
      params: tags(run.data.params),
      tags: tags(run.data.tags),
    }),
    inputs: compact({ dataset_inputs: run.inputs.datasetInputs.map(datasetInputToWire) }),
  });
}

export function fileInfoToWire(entry: ArtifactEntry, relativeTo = '') {
  const path =
    relativeTo && entry.path.startsWith(`${relativeTo}/`)
      ? entry.path.slice(relativeTo.length + 1)
      : entry.path;
  return compact({ path, is_dir: entry.isDir, file_size: entry.isDir ? undefined : entry.fileSize });
}
