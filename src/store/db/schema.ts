import type { Generated } from 'kysely';

/** The metadata schema, one interface per table; migrations create exactly this. */
export interface Schema {
  experiments: ExperimentTable;
  experiment_tags: KeyValueTable & { experiment_id: number };
  runs: RunTable;
  params: KeyValueTable & { run_id: string };
  tags: KeyValueTable & { run_id: string };
  metrics: MetricTable;
  latest_metrics: MetricTable;
  metric_rollups: MetricRollupTable;
  datasets: DatasetTable;
  run_inputs: RunInputTable;
  artifacts: ArtifactTable;
  registered_models: RegisteredModelTable;
  registered_model_tags: KeyValueTable & { name: string };
  model_versions: ModelVersionTable;
  model_version_tags: KeyValueTable & { name: string; version: number };
  registered_model_aliases: { name: string; alias: string; version: number };
  bandit_state: BanditStateTable;
  payload_logs: PayloadLogTable;
  monitors: MonitorTable;
  monitor_results: MonitorResultTable;
  monitor_alerts: MonitorAlertTable;
  monitor_feedback: MonitorFeedbackTable;
}

/** One payload event (a CloudEvent) with the columns queries filter on; `time` in epoch ms. */
export interface PayloadLogTable {
  /** Arrival order, the tie-break between events of the same millisecond. */
  seq: Generated<number>;
  event_id: string;
  type: string;
  request_id: string;
  deployment: string;
  node: string;
  model_name: string;
  model_version: string | null;
  route: string | null;
  time: number;
  latency_ms: number | null;
  /** The whole CloudEvent as JSON. */
  event: string;
}

/** One arm of one bandit router of a deployment: the sum of its rewards and its number of trials. */
export interface BanditStateTable {
  deployment: string;
  node: string;
  arm: string;
  successes: number;
  trials: number;
}

export interface RegisteredModelTable {
  name: string;
  description: string | null;
  last_version: Generated<number>;
  creation_time: number;
  last_updated_time: number;
}

export interface ModelVersionTable {
  name: string;
  version: number;
  description: string | null;
  user_id: string | null;
  current_stage: string;
  source: string;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
  creation_time: number;
  last_updated_time: number;
}

export interface KeyValueTable {
  key: string;
  value: string;
}

export interface ExperimentTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

export interface RunTable {
  run_id: string;
  experiment_id: number;
  run_name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
  deleted_time: number | null;
}

export interface MetricTable {
  run_id: string;
  key: string;
  /** NULL stores NaN, which SQLite cannot hold as a REAL. */
  value: number | null;
  timestamp: number;
  step: number;
}

export interface DatasetTable {
  dataset_id: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface RunInputTable {
  run_id: string;
  dataset_id: string;
  /** The `mlflow.data.context` tag (e.g. "training"), kept as a column so search can filter on it. */
  context: string | null;
  /** JSON array of {key, value}; the context lives under `mlflow.data.context`. */
  tags: string;
}

export interface ArtifactTable {
  root: string;
  path: string;
  digest: string;
  size: number;
  created_time: number;
}

/** One bucket of a metric history at one level: its count and its first, last, min, max and first non-finite point. */
export interface MetricRollupTable {
  run_id: string;
  key: string;
  level: number;
  bucket: number;
  count: number;
  first_step: number | null;
  first_value: number | null;
  first_ts: number | null;
  last_step: number | null;
  last_value: number | null;
  last_ts: number | null;
  min_step: number | null;
  min_value: number | null;
  min_ts: number | null;
  max_step: number | null;
  max_value: number | null;
  max_ts: number | null;
  nf_step: number | null;
  nf_value: number | null;
  nf_ts: number | null;
}

/** A monitor: its spec (JSON), fitted detector states (JSON) and evaluation checkpoint (JSON). */
export interface MonitorTable {
  name: string;
  deployment: string;
  spec: string;
  spec_digest: string;
  detectors: string;
  checkpoint: string | null;
  created_time: number;
  updated_time: number;
}

/** One metric of one window (`model_version` '' = all versions); times in epoch ms. */
export interface MonitorResultTable {
  id: Generated<number>;
  monitor: string;
  metric: string;
  model_version: string;
  window_start: number;
  window_end: number;
  rows: number;
  value: number | null;
  p_value: number | null;
  detected: number | null;
  per_feature: string | null;
  created_time: number;
}

/** An alert event with its evidence (JSON). */
export interface MonitorAlertTable {
  id: Generated<number>;
  monitor: string;
  rule: string;
  metric: string;
  value: number | null;
  window_start: number;
  window_end: number;
  time: number;
  evidence: string;
}

/** A delayed label joined to the logged prediction of the same request id. */
export interface MonitorFeedbackTable {
  request_id: string;
  deployment: string;
  model_version: string;
  prediction_time: number;
  /** The response's OIP output tensors (JSON). */
  outputs: string;
  /** The ground truth (JSON: a value, or one per row of the request). */
  truth: string;
  recorded_time: number;
}
