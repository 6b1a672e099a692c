import { type Kysely, sql } from 'kysely';
import type { DialectProfile, Schema } from '../store/db/index.js';
import { type BatchColumn, createBatchStatement } from '../store/db/index.js';
import { validateKey, validateMetricPoint } from './limits.js';
import { createRollupUpsert, RollupBuilder } from './metric-rollups.js';
import type { Metric } from './types.js';

/** A validated batch of metric points as columns (NaN stored as null), with its rollups and latest points. */
export interface MetricColumns {
  readonly count: number;
  readonly keys: string[];
  readonly values: (number | null)[];
  readonly timestamps: number[];
  readonly steps: number[];
  readonly rollups: RollupBuilder;
  /** Per key, the index of its latest point in the batch (see `isLater`). */
  readonly latest: Map<string, number>;
}

/**
 * Validates metric points (MLflow's rules, see limits.ts) and lays them out as columns in one pass.
 * A key is checked once per batch, and only a failing point goes through the message-building check.
 */
export function metricColumns(metrics: readonly Metric[]): MetricColumns {
  const count = metrics.length;
  const keys = new Array<string>(count);
  const values = new Array<number | null>(count);
  const timestamps = new Array<number>(count);
  const steps = new Array<number>(count);
  const rollups = new RollupBuilder();
  const latest = new Map<string, number>();
  const validKeys = new Set<string>();
  for (let i = 0; i < count; i++) {
    const metric = metrics[i];
    const key = metric?.key;
    if (typeof key !== 'string' || !validKeys.has(key)) validKeys.add(validateKey(key, 'metric'));
    const { value, timestamp, step } = metric!;
    if (
      !(
        typeof value === 'number' &&
        Number.isSafeInteger(timestamp) &&
        timestamp >= 0 &&
        Number.isSafeInteger(step)
      )
    )
      validateMetricPoint(value, timestamp, step);
    const stored = Number.isNaN(value) ? null : value;
    keys[i] = key as string;
    values[i] = stored;
    timestamps[i] = timestamp;
    steps[i] = step;
    rollups.add(key as string, step, stored, timestamp);
    const current = latest.get(key as string);
    if (
      current === undefined ||
      isLater(step, timestamp, stored, steps[current]!, timestamps[current]!, values[current]!)
    )
      latest.set(key as string, i);
  }
  return { count, keys, values, timestamps, steps, rollups, latest };
}

/** MLflow's latest value: the greatest (step, timestamp, value); a NaN (null) never displaces a number. */
function isLater(
  step: number,
  ts: number,
  value: number | null,
  otherStep: number,
  otherTs: number,
  otherValue: number | null,
): boolean {
  if (step !== otherStep) return step > otherStep;
  if (ts !== otherTs) return ts > otherTs;
  return otherValue === null || (value !== null && value > otherValue);
}

const POINT_COLUMNS: readonly BatchColumn[] = [
  { name: 'run_id', type: 'text', shared: true },
  { name: 'key', type: 'text' },
  { name: 'value', type: 'double precision' },
  { name: 'timestamp', type: 'bigint' },
  { name: 'step', type: 'bigint' },
];

/** The same rule as `isLater`, in SQL: the stored latest value is replaced only by a later point. */
const LATEST_MERGE = `on conflict (run_id, "key") do update set "value" = excluded."value", "timestamp" = excluded."timestamp", step = excluded.step
  where excluded.step > l.step or (excluded.step = l.step and (excluded."timestamp" > l."timestamp"
    or (excluded."timestamp" = l."timestamp" and (excluded."value" > l."value" or l."value" is null))))`;

/** Writes metric batches: the history, the rollups and the latest value per key, each in one statement. */
export function createMetricWriter(db: Kysely<Schema>, profile: DialectProfile) {
  const history = createBatchStatement(db, profile, {
    table: 'metrics',
    columns: POINT_COLUMNS,
    // Folds the run-state check into the insert: nothing is written unless the run accepts writes.
    where: ({ run_id }) =>
      sql`exists (select 1 from runs where run_id = ${run_id} and lifecycle_stage = 'active')`,
  });
  const latest = createBatchStatement(db, profile, {
    table: 'latest_metrics as l',
    columns: POINT_COLUMNS,
    suffix: LATEST_MERGE,
  });
  const rollups = createRollupUpsert(db, profile);

  return {
    /** Appends the points to the run's history; false (nothing written) when the run is missing or not active. */
    async append(trx: Kysely<Schema>, runId: string, batch: MetricColumns): Promise<boolean> {
      const { count, keys, values, timestamps, steps } = batch;
      const written = await history.execute(trx, [runId, keys, values, timestamps, steps], count);
      return written === count;
    },

    /** Merges the batch into the run's rollups and latest values (after `append`, in the same transaction). */
    async summarize(trx: Kysely<Schema>, runId: string, batch: MetricColumns): Promise<void> {
      await rollups.upsert(trx, runId, batch.rollups);
      // Rows in key order, so concurrent writers take row locks in one order.
      const order = [...batch.latest.keys()].sort();
      const at = order.map((key) => batch.latest.get(key)!);
      await latest.execute(
        trx,
        [
          runId,
          order,
          at.map((i) => batch.values[i]),
          at.map((i) => batch.timestamps[i]),
          at.map((i) => batch.steps[i]),
        ],
        order.length,
      );
    },
  };
}

export type MetricWriter = ReturnType<typeof createMetricWriter>;
