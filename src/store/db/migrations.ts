import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { DialectProfile } from './dialect-profile.js';
import type { Schema } from './schema.js';

// Migrations are written against an untyped database: they describe history, not the current Schema.
type AnyDb = Kysely<unknown>;

/** Versioned migrations, in order. Append new ones; never edit a released one. */
function migrations(profile: DialectProfile): Record<string, Migration> {
  return {
    '0001-tracking': { up: (db) => createTrackingTables(db as AnyDb, profile) },
    '0002-metric-rollups': { up: (db) => createMetricRollups(db as AnyDb) },
    '0003-registry': { up: (db) => createRegistryTables(db as AnyDb) },
    '0004-bandit-state': { up: (db) => createBanditState(db as AnyDb) },
    '0005-payload-logs': { up: (db) => createPayloadLogs(db as AnyDb, profile) },
    '0006-metric-rollups-512': { up: (db) => addRollupLevel512(db as AnyDb) },
    '0007-monitors': { up: (db) => createMonitorTables(db as AnyDb, profile) },
  };
}

async function createTrackingTables(db: AnyDb, profile: DialectProfile): Promise<void> {
  const s = db.schema;
  await s
    .createTable('experiments')
    .addColumn('experiment_id', profile.serialType, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('artifact_location', 'text', (c) => c.notNull())
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addColumn('last_update_time', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('experiment_tags')
    .addColumn('experiment_id', 'bigint', (c) => c.notNull().references('experiments.experiment_id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
    .execute();
  await s
    .createTable('runs')
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('experiment_id', 'bigint', (c) => c.notNull().references('experiments.experiment_id'))
    .addColumn('run_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_time', 'bigint', (c) => c.notNull())
    .addColumn('end_time', 'bigint')
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
    .addColumn('artifact_uri', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'bigint')
    .execute();
  await s.createIndex('runs_experiment_start').on('runs').columns(['experiment_id', 'start_time']).execute();
  for (const table of ['params', 'tags'] as const) {
    await s
      .createTable(table)
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['run_id', 'key'])
      .execute();
    await s.createIndex(`${table}_key_value`).on(table).columns(['key', 'value']).execute();
  }
  // Full history: append-only, no primary key (duplicates are legal in MLflow), one index for reads.
  await s
    .createTable('metrics')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('metrics_run_key_step').on('metrics').columns(['run_id', 'key', 'step']).execute();
  // One row per (run, key) so search never touches the history.
  await s
    .createTable('latest_metrics')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('latest_metrics_pk', ['run_id', 'key'])
    .execute();
  await s.createIndex('latest_metrics_key_value').on('latest_metrics').columns(['key', 'value']).execute();
  await s
    .createTable('datasets')
    .addColumn('dataset_id', 'text', (c) => c.primaryKey())
    .addColumn('experiment_id', 'bigint', (c) => c.notNull().references('experiments.experiment_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('schema', 'text')
    .addColumn('profile', 'text')
    .addUniqueConstraint('datasets_identity', ['experiment_id', 'name', 'digest'])
    .execute();
  await s
    .createTable('run_inputs')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id'))
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.dataset_id'))
    .addColumn('context', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_inputs_pk', ['run_id', 'dataset_id'])
    .execute();
  await s
    .createTable('artifacts')
    // A run id, or the proxy namespace for paths the MLflow artifact proxy stores outside runs.
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('artifacts_pk', ['root', 'path'])
    .execute();
  const now = Date.now();
  await sql`insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            values (0, 'Default', 'mlflow-artifacts:/0', 'active', ${now}, ${now})`.execute(db);
}

/**
 * Per-bucket summaries of each metric history at fixed step widths, kept up to date on every write,
 * so a chart of a million-point history reads a few thousand rows instead of scanning them all.
 */
async function createMetricRollups(db: AnyDb): Promise<void> {
  let table = db.schema
    .createTable('metric_rollups')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull());
  for (const point of ['first', 'last', 'min', 'max', 'nf']) {
    table = table
      .addColumn(`${point}_step`, 'bigint')
      .addColumn(`${point}_value`, 'double precision')
      .addColumn(`${point}_ts`, 'bigint');
  }
  await table.addPrimaryKeyConstraint('metric_rollups_pk', ['run_id', 'key', 'level', 'bucket']).execute();
}

/** The model registry: registered models, their numbered versions, tags and aliases. */
async function createRegistryTables(db: AnyDb): Promise<void> {
  const s = db.schema;
  await s
    .createTable('registered_models')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    // The last version number handed out: incremented under the row lock, so numbers are never reused.
    .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('registered_model_tags')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('registered_model_tags_pk', ['name', 'key'])
    .execute();
  await s
    .createTable('model_versions')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('user_id', 'text')
    .addColumn('current_stage', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('run_link', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
    .execute();
  await s.createIndex('model_versions_run').on('model_versions').column('run_id').execute();
  await s
    .createTable('model_version_tags')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_version_tags_pk', ['name', 'version', 'key'])
    .execute();
  await s
    .createTable('registered_model_aliases')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('registered_model_aliases_pk', ['name', 'alias'])
    .execute();
}

/**
 * What each bandit router of a deployment has learnt per arm (sum of rewards, trials), shared by every
 * serving replica; updated with an atomic upsert increment.
 */
async function createBanditState(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('bandit_state')
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('arm', 'text', (c) => c.notNull())
    .addColumn('successes', 'double precision', (c) => c.notNull())
    .addColumn('trials', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('bandit_state_pk', ['deployment', 'node', 'arm'])
    .execute();
}

/**
 * Payload logs: one row per CloudEvent of the serving payload logger (src/serving/logging), the filter
 * columns pulled out of the event and the whole event kept as JSON. Reads are by deployment or model over
 * a time window (keyset-paged on time, seq) and by request id (audit: what did request X see?).
 */
async function createPayloadLogs(db: AnyDb, profile: DialectProfile): Promise<void> {
  const s = db.schema;
  await s
    .createTable('payload_logs')
    // Arrival order: breaks ties between events of the same millisecond (a request and its fast response).
    .addColumn('seq', profile.serialType, (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text')
    .addColumn('route', 'text')
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision')
    .addColumn('event', 'text', (c) => c.notNull())
    .execute();
  await s
    .createIndex('payload_logs_deployment_time')
    .on('payload_logs')
    .columns(['deployment', 'time', 'seq'])
    .execute();
  await s
    .createIndex('payload_logs_model_time')
    .on('payload_logs')
    .columns(['model_name', 'time', 'seq'])
    .execute();
  await s.createIndex('payload_logs_time').on('payload_logs').columns(['time', 'seq']).execute();
  await s.createIndex('payload_logs_request').on('payload_logs').column('request_id').execute();
}

/**
 * A third metric rollup level, 512 steps wide (level id 2, see src/tracking/metric-rollups.ts), so a
 * chart reads at most about 8× the rows it needs. Histories logged before get it from their 64-step
 * buckets (level 0): eight of those make one 512-step bucket, whose first point is the first of its
 * lowest bucket, its last the last of its highest, its min, max and first non-finite point the best of
 * the eight. `(b - ((b % 8) + 8) % 8) / 8` is floor(b / 8) on both databases, negative buckets included.
 */
async function addRollupLevel512(db: AnyDb): Promise<void> {
  const points = ['first', 'last', 'min', 'max', 'nf'].flatMap((p) => [`${p}_step`, `${p}_value`, `${p}_ts`]);
  const parent = sql.raw('(bucket - ((bucket % 8) + 8) % 8) / 8');
  // The level-0 bucket of group g holding the extreme `order` picks among its non-null `column` values.
  const best = (column: string, order: string) =>
    sql.raw(`(select r.bucket from metric_rollups r
      where r.run_id = g.run_id and r."key" = g."key" and r."level" = 0
        and r.bucket between g.parent * 8 and g.parent * 8 + 7 and r.${column} is not null
      order by ${order}, r.bucket limit 1)`);
  const join = (alias: string, bucket: unknown) =>
    sql`metric_rollups ${sql.raw(alias)} on ${sql.raw(alias)}.run_id = g.run_id and ${sql.raw(alias)}."key" = g."key"
      and ${sql.raw(alias)}."level" = 0 and ${sql.raw(alias)}.bucket = ${bucket}`;
  await sql`insert into metric_rollups (run_id, "key", "level", bucket, count, ${sql.raw(points.join(', '))})
    select g.run_id, g."key", 2, g.parent, g.total,
      f.first_step, f.first_value, f.first_ts, l.last_step, l.last_value, l.last_ts,
      mn.min_step, mn.min_value, mn.min_ts, mx.max_step, mx.max_value, mx.max_ts, nf.nf_step, nf.nf_value, nf.nf_ts
    from (
      select run_id, "key", ${parent} as parent, sum(count) as total, min(bucket) as lo, max(bucket) as hi
      from metric_rollups where "level" = 0 group by run_id, "key", ${parent}
    ) g
    join ${join('f', sql.raw('g.lo'))}
    join ${join('l', sql.raw('g.hi'))}
    left join ${join('mn', best('min_value', 'r.min_value'))}
    left join ${join('mx', best('max_value', 'r.max_value desc'))}
    left join ${join('nf', best('nf_step', 'r.nf_step'))}`.execute(db);
}

// SQLite has no migration lock: a process whose read snapshot predates another's committed migration
// fails on "already exists" or on the migration's row; its transaction rolls back and the retry sees
// the migration applied.
const BUSY =
  /SQLITE_BUSY|database is locked|could not serialize|deadlock detected|duplicate key value|already exists|UNIQUE constraint failed/i;

/**
 * Applies pending migrations. Kysely's migrator takes an advisory lock on PostgreSQL; two SQLite
 * processes can still collide on the write lock, so a busy failure is retried: the loser then finds
 * the work done.
 */
export async function migrateToLatest(db: Kysely<Schema>, profile: DialectProfile): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(profile) } });
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return;
    if (attempt >= 20 || !BUSY.test(String((error as Error).message ?? error))) throw error;
    await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 50));
  }
}

/**
 * Monitors on deployments (src/monitoring/monitors): the spec with its fitted detectors and checkpoint,
 * results as a time series per window and metric (upserted, so a recomputed window replaces its row),
 * alert events with their evidence, and delayed labels joined to logged predictions by request id.
 */
async function createMonitorTables(db: AnyDb, profile: DialectProfile): Promise<void> {
  const s = db.schema;
  await s
    .createTable('monitors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('spec_digest', 'text', (c) => c.notNull())
    .addColumn('detectors', 'text', (c) => c.notNull())
    .addColumn('checkpoint', 'text')
    .addColumn('created_time', 'bigint', (c) => c.notNull())
    .addColumn('updated_time', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('monitor_results')
    .addColumn('id', profile.serialType, (c) => c.primaryKey())
    .addColumn('monitor', 'text', (c) => c.notNull().references('monitors.name').onDelete('cascade'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('p_value', 'double precision')
    .addColumn('detected', 'integer')
    .addColumn('per_feature', 'text')
    .addColumn('created_time', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('monitor_results_window', [
      'monitor',
      'metric',
      'model_version',
      'window_start',
      'window_end',
    ])
    .execute();
  await s
    .createIndex('monitor_results_time')
    .on('monitor_results')
    .columns(['monitor', 'window_end'])
    .execute();
  await s
    .createTable('monitor_alerts')
    .addColumn('id', profile.serialType, (c) => c.primaryKey())
    .addColumn('monitor', 'text', (c) => c.notNull().references('monitors.name').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('monitor_alerts_time').on('monitor_alerts').columns(['monitor', 'time']).execute();
  await s
    .createTable('monitor_feedback')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('prediction_time', 'bigint', (c) => c.notNull())
    .addColumn('outputs', 'text', (c) => c.notNull())
    .addColumn('truth', 'text', (c) => c.notNull())
    .addColumn('recorded_time', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('monitor_feedback_time')
    .on('monitor_feedback')
    .columns(['deployment', 'prediction_time'])
    .execute();
  await s
    .createIndex('monitor_feedback_recorded')
    .on('monitor_feedback')
    .columns(['deployment', 'recorded_time'])
    .execute();
}
