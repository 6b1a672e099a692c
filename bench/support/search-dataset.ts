import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type pg from 'pg';
import { cachedPath, openRawSqlite } from './databases.js';
import { openOsprey } from './osprey.js';

/** Bump when the generated data changes, so cached files are rebuilt. */
const GENERATOR_VERSION = 2;
export const SEARCH_EXPERIMENT = 'bench-search-runs';
export const METRIC_KEYS = 10;
export const PARAM_KEYS = 10;
const T0 = 1_700_000_000_000;

type Dialect = 'sqlite' | 'postgres';
const P = 2147483647; // 2^31 - 1: squares of residues stay below 2^62, so 64-bit integer maths is exact.
const P32 = 4294967291; // the largest prime below 2^32: a run id is four 8-hex-digit residues.

/** `0 … n-1` as a one-column (i) row source. */
function series(dialect: Dialect, n: number): string {
  return dialect === 'sqlite'
    ? `(with recursive s(i) as (select 0 union all select i + 1 from s where i < ${n - 1}) select i from s)`
    : `(select cast(generate_series(0, ${n - 1}) as bigint) as i)`;
}

const hex8 = (dialect: Dialect, x: string) =>
  dialect === 'sqlite' ? `printf('%08x', ${x})` : `lpad(to_hex(${x}), 8, '0')`;

/**
 * A uniform-looking value in [0, P) from an integer `x`, the same in SQLite and PostgreSQL (exact 64-bit
 * integer maths): a Lehmer step, then two quadratic steps so that neighbouring keys are not correlated.
 */
function mixed(source: string, x: string): string {
  return `select run_id, i, k, (x1 * x1 + 67890) % ${P} as x from (
      select run_id, i, k, (x0 * x0 + 12345) % ${P} as x1 from (
        select run_id, i, k, ((${x}) * 48271 + 11) % ${P} as x0 from ${source}) a) b`;
}

/**
 * The statements generating `runs` finished runs in one experiment, with 3 tags, 10 params and 10 latest
 * metrics each (and a one-point history per metric), in SQL so the database does the work; both
 * dialects produce the same rows. Rows go in primary-key order, as a bulk load would.
 */
function generationSql(dialect: Dialect, runs: number, experimentId: number): string[] {
  const id = [2654435761, 2246822519, 3266489917, 668265263]
    .map((a, j) => hex8(dialect, `(i * ${a} + ${j + 1}) % ${P32}`))
    .join(' || ');
  const perKey = (keys: number) =>
    `(select r.run_id, (r.start_time - ${T0}) / 1000 as i, k.i as k from runs r cross join ${series(dialect, keys)} k
      where r.experiment_id = ${experimentId}) rk`;
  return [
    `insert into runs (${RUN_COLUMNS})
       select run_id, ${experimentId}, 'run-' || i, 'bench', 'FINISHED', ${T0} + i * 1000, ${T0} + i * 1000 + 60000, 'active',
              'mlflow-artifacts:/${experimentId}/' || run_id || '/artifacts'
       from (select i, ${id} as run_id from ${series(dialect, runs)} s) g order by run_id`,
    `insert into tags (run_id, key, value)
       select run_id, case k when 0 then 'model' when 1 then 'mlflow.runName' else 'mlflow.user' end,
              case k when 0 then (case i % 3 when 0 then 'cnn' when 1 then 'rnn' else 'mlp' end)
                     when 1 then 'run-' || i else 'bench' end
       from ${perKey(3)} order by run_id, k`,
    `insert into params (run_id, key, value)
       select run_id, 'p' || k, cast(x * 100 / ${P} as text) from (${mixed(perKey(PARAM_KEYS), 'i * 32 + 16 + k')}) m
       order by run_id, k`,
    `insert into latest_metrics (run_id, key, value, timestamp, step)
       select run_id, 'm' || k, cast(x as double precision) / ${P}, ${T0} + i * 1000 + 60000, 99
       from (${mixed(perKey(METRIC_KEYS), 'i * 32 + k')}) m order by run_id, k`,
    // Each run's history is its one latest point: search never reads the history.
    'insert into metrics (run_id, key, value, timestamp, step) select run_id, key, value, timestamp, step from latest_metrics',
  ];
}

const RUN_COLUMNS =
  'run_id, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri';

/** Creates the experiment through Osprey (so its row is what Osprey writes) and returns its id. */
async function createExperiment(dbUrl: string): Promise<number> {
  const osprey = await openOsprey(dbUrl);
  try {
    return Number(await osprey.tracking.experiments.create({ name: SEARCH_EXPERIMENT }));
  } finally {
    await osprey.close();
  }
}

/**
 * The SQLite search dataset, generated once into bench/out and reused while the schema
 * (migrations.ts) and the generator are unchanged. No ANALYZE: Osprey does not run one either.
 */
export async function cachedSqliteDataset(
  runs: number,
  migrationsFile: string,
): Promise<{ path: string; experimentId: string }> {
  const hash = createHash('sha256')
    .update(readFileSync(migrationsFile))
    .update(String(GENERATOR_VERSION))
    .digest('hex')
    .slice(0, 12);
  const prefix = `search-runs-${runs}-`;
  const path = cachedPath(prefix, hash);
  if (!existsSync(path)) {
    const building = `${path}.building`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
    const experimentId = await createExperiment(`sqlite:${building}`);
    const db = openRawSqlite(building);
    db.transaction(() => {
      for (const statement of generationSql('sqlite', runs, experimentId)) db.exec(statement);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    renameSync(building, path);
    for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  }
  return { path, experimentId: await experimentIdIn(path) };
}

async function experimentIdIn(path: string): Promise<string> {
  const db = openRawSqlite(path);
  try {
    const row = db.prepare('select experiment_id from experiments where name = ?').get(SEARCH_EXPERIMENT) as {
      experiment_id: number;
    };
    return String(row.experiment_id);
  } finally {
    db.close();
  }
}

/**
 * Generates the same dataset in a (scratch, migrated) PostgreSQL database, server-side, as a bulk load is
 * done: foreign-key triggers off for the session (the rows are consistent by construction) and secondary
 * indexes rebuilt afterwards from their own definitions; then ANALYZE, as autovacuum would do.
 */
export async function loadPgDataset(dbUrl: string, pool: pg.Pool, runs: number): Promise<string> {
  const experimentId = await createExperiment(dbUrl);
  const client = await pool.connect();
  try {
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `select i.indexname as name, i.indexdef as definition from pg_indexes i
       where i.schemaname = current_schema() and i.tablename in ('runs', 'tags', 'params', 'latest_metrics', 'metrics')
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    for (const index of indexes) await client.query(`drop index ${index.name}`);
    await client.query("set session_replication_role = 'replica'");
    await client.query("set maintenance_work_mem = '256MB'");
    for (const statement of generationSql('postgres', runs, experimentId)) await client.query(statement);
    await client.query("set session_replication_role = 'origin'");
    for (const index of indexes) await client.query(index.definition);
    await client.query('analyze');
  } finally {
    client.release(true);
  }
  return String(experimentId);
}
