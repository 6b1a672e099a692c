import { invalidArgument } from '../errors/index.js';

/** MLflow's published limits (mlflow/utils/validation.py), kept so MLflow clients see the same answers. */
export const LIMITS = Object.freeze({
  keyLength: 250,
  paramValueLength: 6000,
  runTagValueLength: 8000,
  experimentTagValueLength: 5000,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
  batchBodyBytes: 1_000_000,
  searchRunsDefault: 1000,
  searchRunsMax: 50_000,
  searchExperimentsDefault: 1000,
  searchExperimentsMax: 50_000,
  metricHistoryMax: 25_000,
});

const KEY_CHARSET = /^[/\w.\- ]*$/;
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID = /^[0-9]{1,19}$/;

/** Validates a metric/param/tag key as MLflow does: charset, length, no path escapes. */
export function validateKey(key: unknown, what: string): string {
  if (typeof key !== 'string' || key.length === 0)
    throw invalidArgument(`${what} key must be a non-empty string`);
  if (key.length > LIMITS.keyLength) {
    throw invalidArgument(`${what} key '${key.slice(0, 40)}…' exceeds ${LIMITS.keyLength} characters`);
  }
  if (!KEY_CHARSET.test(key)) {
    throw invalidArgument(
      `invalid ${what} key '${key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/)`,
    );
  }
  if (key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.')) {
    throw invalidArgument(`invalid ${what} key '${key}': it would escape its directory`);
  }
  return key;
}

/** Validates a string value against a length limit. */
export function validateValue(value: unknown, what: string, maxLength: number): string {
  if (typeof value !== 'string') throw invalidArgument(`${what} value must be a string`);
  if (value.length > maxLength) {
    throw invalidArgument(`${what} value of length ${value.length} exceeds the limit of ${maxLength}`);
  }
  return value;
}

/** Validates a run id's shape (also what stops ids being used as paths). */
export function validateRunId(runId: unknown): string {
  if (typeof runId !== 'string' || !RUN_ID.test(runId))
    throw invalidArgument(`invalid run id '${String(runId)}'`);
  return runId;
}

/** Validates an experiment id: MLflow ids are decimal strings. */
export function validateExperimentId(experimentId: unknown): string {
  const id = typeof experimentId === 'number' ? String(experimentId) : experimentId;
  if (typeof id !== 'string' || !EXPERIMENT_ID.test(id)) {
    throw invalidArgument(`invalid experiment id '${String(experimentId)}'`);
  }
  return id;
}

/** Validates `maxResults` against a hard maximum; undefined takes the default. */
export function validateMaxResults(value: number | undefined, defaultValue: number, max: number): number {
  if (value === undefined) return defaultValue;
  if (!Number.isInteger(value) || value < 1) throw invalidArgument(`max_results must be a positive integer`);
  if (value > max) throw invalidArgument(`max_results ${value} exceeds the maximum of ${max}`);
  return value;
}

/** Validates a metric point: numeric value (NaN and ±Inf allowed, booleans not), integer timestamp and step. */
export function validateMetricPoint(value: unknown, timestamp: unknown, step: unknown): void {
  if (typeof value !== 'number') throw invalidArgument(`metric value must be a number, got ${typeof value}`);
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw invalidArgument(`metric timestamp must be a non-negative integer (ms), got ${String(timestamp)}`);
  }
  if (typeof step !== 'number' || !Number.isSafeInteger(step)) {
    throw invalidArgument(`metric step must be an integer, got ${String(step)}`);
  }
}
