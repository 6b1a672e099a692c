/**
 * Monitor persistence over the metadata database (tables of migration `0007-monitors`): monitors
 * with their fitted detectors and checkpoint, results per window and metric, alert events, and
 * delayed labels. One implementation for SQLite and PostgreSQL through Kysely.
 */
import type { Kysely, Transaction } from 'kysely';
import { conflict, notFound } from '../../errors/index.js';
import type { Database, MonitorResultTable, Schema } from '../../store/db/index.js';
import type { FittedDetector } from './monitor-detectors.js';
import type { MonitorSpec } from './monitor-spec.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A stored monitor. */
export interface MonitorRecord {
  name: string;
  deployment: string;
  spec: MonitorSpec;
  specDigest: string;
  detectors: FittedDetector[];
  checkpoint: unknown;
  createdTime: number;
  updatedTime: number;
}

/** One point of a monitor's time series. */
export interface MonitorResult {
  monitor: string;
  metric: string;
  /** '' for all model versions. */
  modelVersion: string;
  windowStart: number;
  windowEnd: number;
  rows: number;
  value: number | null;
  pValue: number | null;
  detected: boolean | null;
  perFeature: unknown;
}

/** An alert event with the evidence that raised it. */
export interface MonitorAlert {
  id?: number;
  monitor: string;
  rule: string;
  metric: string;
  value: number | null;
  windowStart: number;
  windowEnd: number;
  time: number;
  evidence: Record<string, unknown>;
}

/** A delayed label with the logged prediction of the same request. */
export interface FeedbackRecord {
  requestId: string;
  deployment: string;
  modelVersion: string;
  predictionTime: number;
  outputs: unknown;
  truth: unknown;
  recordedTime: number;
}

export interface ResultQuery {
  metric?: string;
  from?: number;
  to?: number;
  limit?: number;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
const parsed = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** The monitor store over an open database. */
export function createMonitorStore(database: Pick<Database, 'db'>) {
  const { db } = database;

  const toMonitor = (r: Schema['monitors']): MonitorRecord => ({
    name: r.name,
    deployment: r.deployment,
    spec: JSON.parse(r.spec) as MonitorSpec,
    specDigest: r.spec_digest,
    detectors: JSON.parse(r.detectors) as FittedDetector[],
    checkpoint: parsed(r.checkpoint),
    createdTime: Number(r.created_time),
    updatedTime: Number(r.updated_time),
  });

  return {
    /** Creates the monitor or replaces its spec and detectors; `checkpoint` is what to keep of the old one. */
    async saveMonitor(m: Omit<MonitorRecord, 'createdTime' | 'updatedTime'>, now: number): Promise<void> {
      const values = {
        deployment: m.deployment,
        spec: json(m.spec),
        spec_digest: m.specDigest,
        detectors: json(m.detectors),
        checkpoint: m.checkpoint === null ? null : json(m.checkpoint),
        updated_time: now,
      };
      await db
        .insertInto('monitors')
        .values({ name: m.name, created_time: now, ...values })
        .onConflict((oc) => oc.column('name').doUpdateSet(values))
        .execute();
    },

    async findMonitor(name: string): Promise<MonitorRecord | undefined> {
      const row = await db.selectFrom('monitors').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toMonitor(row);
    },

    async getMonitor(name: string): Promise<MonitorRecord> {
      const row = await db.selectFrom('monitors').selectAll().where('name', '=', name).executeTakeFirst();
      if (!row) throw notFound(`monitor "${name}" not found`);
      return toMonitor(row);
    },

    async listMonitors(): Promise<MonitorRecord[]> {
      const rows = await db.selectFrom('monitors').selectAll().orderBy('name').execute();
      return rows.map(toMonitor);
    },

    /** Stores one evaluation's results, alerts and the new checkpoint atomically. */
    async commit(
      name: string,
      batch: { results: readonly MonitorResult[]; alerts: readonly MonitorAlert[]; checkpoint: unknown },
      expected: unknown,
      now: number,
    ): Promise<MonitorAlert[]> {
      return db.transaction().execute(async (trx) => {
        // Compare-and-set on the checkpoint: of two evaluations started from the same position, one wins.
        const previous = expected === null ? null : json(expected);
        const updated = await trx
          .updateTable('monitors')
          .set({ checkpoint: json(batch.checkpoint), updated_time: now })
          .where('name', '=', name)
          .where((eb) => (previous === null ? eb('checkpoint', 'is', null) : eb('checkpoint', '=', previous)))
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1)
          throw conflict(
            `monitor "${name}" was evaluated or changed by another process meanwhile; run it again`,
          );
        for (let i = 0; i < batch.results.length; i += RESULTS_PER_INSERT)
          await upsertResults(trx, batch.results.slice(i, i + RESULTS_PER_INSERT), now);
        const stored: MonitorAlert[] = [];
        for (const a of batch.alerts) {
          const row = await trx
            .insertInto('monitor_alerts')
            .values({
              monitor: a.monitor,
              rule: a.rule,
              metric: a.metric,
              value: a.value,
              window_start: a.windowStart,
              window_end: a.windowEnd,
              time: a.time,
              evidence: json(a.evidence),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          stored.push({ ...a, id: Number(row.id) });
        }
        return stored;
      });
    },

    async listResults(monitor: string, query: ResultQuery = {}): Promise<MonitorResult[]> {
      let q = db.selectFrom('monitor_results').selectAll().where('monitor', '=', monitor);
      if (query.metric !== undefined) q = q.where('metric', '=', query.metric);
      if (query.from !== undefined) q = q.where('window_end', '>', query.from);
      if (query.to !== undefined) q = q.where('window_start', '<', query.to);
      const rows = await q
        .orderBy('window_start')
        .orderBy('window_end')
        .orderBy('metric')
        .orderBy('model_version')
        .limit(query.limit ?? 10_000)
        .execute();
      return rows.map(toResult);
    },

    async listAlerts(query: { monitor?: string; limit?: number } = {}): Promise<MonitorAlert[]> {
      let q = db.selectFrom('monitor_alerts').selectAll();
      if (query.monitor !== undefined) q = q.where('monitor', '=', query.monitor);
      const rows = await q
        .orderBy('time', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? 100)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        monitor: r.monitor,
        rule: r.rule,
        metric: r.metric,
        value: r.value,
        windowStart: Number(r.window_start),
        windowEnd: Number(r.window_end),
        time: Number(r.time),
        evidence: JSON.parse(r.evidence) as Record<string, unknown>,
      }));
    },

    /** Stores (or replaces) the label of one request. */
    async saveFeedback(f: FeedbackRecord): Promise<void> {
      const values = {
        deployment: f.deployment,
        model_version: f.modelVersion,
        prediction_time: f.predictionTime,
        outputs: json(f.outputs),
        truth: json(f.truth),
        recorded_time: f.recordedTime,
      };
      await db
        .insertInto('monitor_feedback')
        .values({ request_id: f.requestId, ...values })
        .onConflict((oc) => oc.column('request_id').doUpdateSet(values))
        .execute();
    },

    /** Prediction times of labels recorded at or after `since` (to find the windows to recompute). */
    async feedbackRecordedSince(
      deployment: string,
      since: number,
    ): Promise<{ predictionTime: number; recordedTime: number }[]> {
      const rows = await db
        .selectFrom('monitor_feedback')
        .select(['prediction_time', 'recorded_time'])
        .where('deployment', '=', deployment)
        .where('recorded_time', '>=', since)
        .execute();
      return rows.map((r) => ({
        predictionTime: Number(r.prediction_time),
        recordedTime: Number(r.recorded_time),
      }));
    },

    /** Labelled predictions made in [from, to). */
    async feedbackBetween(deployment: string, from: number, to: number): Promise<FeedbackRecord[]> {
      const rows = await db
        .selectFrom('monitor_feedback')
        .selectAll()
        .where('deployment', '=', deployment)
        .where('prediction_time', '>=', from)
        .where('prediction_time', '<', to)
        .orderBy('prediction_time')
        .execute();
      return rows.map((r) => ({
        requestId: r.request_id,
        deployment: r.deployment,
        modelVersion: r.model_version,
        predictionTime: Number(r.prediction_time),
        outputs: JSON.parse(r.outputs),
        truth: JSON.parse(r.truth),
        recordedTime: Number(r.recorded_time),
      }));
    },
  };
}

export type MonitorStore = ReturnType<typeof createMonitorStore>;

// 12 columns a row: 400 rows stay far below either database's parameter limit.
const RESULTS_PER_INSERT = 400;

async function upsertResults(db: Db, results: readonly MonitorResult[], now: number): Promise<void> {
  await db
    .insertInto('monitor_results')
    .values(
      results.map((r) => ({
        monitor: r.monitor,
        metric: r.metric,
        model_version: r.modelVersion,
        window_start: r.windowStart,
        window_end: r.windowEnd,
        rows: r.rows,
        value: r.value,
        p_value: r.pValue,
        detected: r.detected === null ? null : r.detected ? 1 : 0,
        per_feature: r.perFeature === undefined || r.perFeature === null ? null : json(r.perFeature),
        created_time: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['monitor', 'metric', 'model_version', 'window_start', 'window_end']).doUpdateSet((eb) => ({
        rows: eb.ref('excluded.rows'),
        value: eb.ref('excluded.value'),
        p_value: eb.ref('excluded.p_value'),
        detected: eb.ref('excluded.detected'),
        per_feature: eb.ref('excluded.per_feature'),
        created_time: eb.ref('excluded.created_time'),
      })),
    )
    .execute();
}

function toResult(r: Omit<MonitorResultTable, 'id'> & { id: number }): MonitorResult {
  return {
    monitor: r.monitor,
    metric: r.metric,
    modelVersion: r.model_version,
    windowStart: Number(r.window_start),
    windowEnd: Number(r.window_end),
    rows: Number(r.rows),
    value: r.value === null ? null : Number(r.value),
    pValue: r.p_value === null ? null : Number(r.p_value),
    detected: r.detected === null ? null : Number(r.detected) === 1,
    perFeature: parsed(r.per_feature),
  };
}
