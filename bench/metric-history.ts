// Chart reads of a long history: a 1,000,000-point metric fetched downsampled to 1,000 points through
// Osprey's metric-history service, beside raw SQL reads of the same rows in the same database.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import type { Osprey } from '../src/app/index.js';
import { cachedSqliteHistory, HISTORY_KEY, logHistory } from './support/history-dataset.js';
import {
  createScratchPg,
  fmtInt,
  fmtMs,
  fmtTimes,
  markdownTable,
  median,
  openOsprey,
  openRawPg,
  openRawSqlite,
  pgAvailable,
  timed,
} from './support/index.js';

export interface MetricHistoryOptions {
  /** Points in the history (1,000,000 for the published figures). */
  points: number;
  /** Timed repetitions of every read (medians are reported)... */
  reps: number;
  /** ...unless a database has taken this long (then at least 5 are kept), so a loaded machine still finishes. */
  budgetMs: number;
}

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const MAX_POINTS = 1000;
const TARGET_MS = 200;

/** The raw reads: each returns the number of rows it fetched. */
interface RawReads {
  /** Every (step, value) of the history in step order: what a naive chart endpoint would do. */
  full(): Promise<number> | number;
  /** min/max/count per step bucket in one GROUP BY: a SQL-side downsample scanning the whole history. */
  aggregate(width: number): Promise<number> | number;
  /** 1,000 consecutive points by index range: the floor for any 1,000-point answer. */
  floor(): Promise<number> | number;
}

function sqliteReads(db: SqliteDatabase.Database, runId: string): RawReads {
  const where = 'from metrics where run_id = ? and key = ?';
  const full = db.prepare(`select step, value ${where} order by step`).raw();
  // CAST: better-sqlite3 binds JS numbers as REAL, which would make the division exact.
  const aggregate = db
    .prepare(
      `select (step - cast(? as integer)) / cast(? as integer) as b, min(value), max(value), count(*) ${where} group by b`,
    )
    .raw();
  const floor = db
    .prepare(`select step, value ${where} and step between 0 and ${MAX_POINTS - 1} order by step`)
    .raw();
  return {
    full: () => full.all(runId, HISTORY_KEY).length,
    aggregate: (width) => aggregate.all(0, width, runId, HISTORY_KEY).length,
    floor: () => floor.all(runId, HISTORY_KEY).length,
  };
}

function pgReads(pool: pg.Pool, runId: string): RawReads {
  const where = 'from metrics where run_id = $1 and key = $2';
  const rows = async (name: string, text: string, values: unknown[]) =>
    (await pool.query({ name, text, values, rowMode: 'array' })).rowCount ?? 0;
  return {
    full: () => rows('h-full', `select step, value ${where} order by step`, [runId, HISTORY_KEY]),
    aggregate: (width) =>
      rows(
        'h-agg',
        `select (step - $3::bigint) / $4::bigint as b, min(value), max(value), count(*) ${where} group by b`,
        [runId, HISTORY_KEY, 0, width],
      ),
    floor: () =>
      rows('h-floor', `select step, value ${where} and step between 0 and ${MAX_POINTS - 1} order by step`, [
        runId,
        HISTORY_KEY,
      ]),
  };
}

/** Checks the sampled answer is a real downsample: bounded, ends kept, global extremes kept. */
async function checkSampled(osprey: Osprey, runId: string, points: number): Promise<void> {
  const sampled = await osprey.tracking.metrics.sampled({ runId, key: HISTORY_KEY, maxPoints: MAX_POINTS });
  const steps = sampled.map((m) => m.step);
  const values = sampled.map((m) => m.value);
  if (sampled.length > MAX_POINTS || sampled.length < MAX_POINTS / 4)
    throw new Error(`sampled ${sampled.length} points`);
  if (steps[0] !== 0 || steps.at(-1) !== points - 1)
    throw new Error('sampled history lost its first or last point');
  const max = Math.max(...values);
  if (max < 2) throw new Error(`sampled history lost the loss's peak (max ${max})`);
}

async function measure(
  database: string,
  osprey: Osprey,
  runId: string,
  raw: RawReads,
  options: MetricHistoryOptions,
) {
  await checkSampled(osprey, runId, options.points);
  const width = Math.ceil(options.points / (MAX_POINTS / 4));
  const reads: Record<string, () => Promise<unknown> | unknown> = {
    osprey: () => osprey.tracking.metrics.sampled({ runId, key: HISTORY_KEY, maxPoints: MAX_POINTS }),
    full: () => raw.full(),
    aggregate: () => raw.aggregate(width),
    floor: () => raw.floor(),
  };
  const names = Object.keys(reads);
  const times = new Map<string, number[]>(names.map((n) => [n, []]));
  const started = Date.now();
  for (let rep = -2; rep < options.reps; rep++) {
    if (rep >= 5 && Date.now() - started > options.budgetMs) break;
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + rep + 2) % names.length]!;
      const { ms } = await timed(reads[name]!);
      if (rep >= 0) times.get(name)!.push(ms);
    }
  }
  const med = (name: string) => median(times.get(name)!);
  const p50 = med('osprey');
  return [
    database,
    String(times.get('osprey')!.length),
    fmtMs(p50),
    p50 <= TARGET_MS ? 'met' : `missed: ${fmtTimes(p50 / TARGET_MS)}`,
    fmtMs(med('full')),
    fmtMs(med('aggregate')),
    fmtMs(med('floor')),
    fmtTimes(p50 / med('full')),
    fmtTimes(p50 / med('aggregate')),
    fmtTimes(p50 / med('floor')),
  ];
}

async function onSqlite(options: MetricHistoryOptions) {
  const { ms, result } = await timed(() => cachedSqliteHistory(options.points, SRC));
  const osprey = await openOsprey(`sqlite:${result.path}`);
  const db = openRawSqlite(result.path);
  try {
    const row = await measure('SQLite', osprey, result.runId, sqliteReads(db, result.runId), options);
    return {
      row,
      note: `SQLite history ready in ${(ms / 1000).toFixed(1)} s (logged once, cached under bench/out/).`,
    };
  } finally {
    db.close();
    await osprey.close();
  }
}

async function onPostgres(options: MetricHistoryOptions) {
  const scratch = await createScratchPg('metric_history');
  try {
    const osprey = await openOsprey(scratch.url);
    const pool = openRawPg(scratch.url, 2);
    try {
      const { ms, result: runId } = await timed(() => logHistory(osprey, options.points, 4));
      await pool.query('analyze');
      const row = await measure('PostgreSQL', osprey, runId, pgReads(pool, runId), options);
      return {
        row,
        note: `PostgreSQL history logged in ${(ms / 1000).toFixed(1)} s (4 concurrent logBatch writers).`,
      };
    } finally {
      await pool.end();
      await osprey.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** Runs the metric-history benchmark on SQLite and (when reachable) PostgreSQL and returns a markdown report. */
export async function metricHistoryBench(options: MetricHistoryOptions): Promise<string> {
  const results = [await onSqlite(options)];
  if (await pgAvailable()) results.push(await onPostgres(options));
  const headers = [
    'database',
    'reps',
    'osprey sampled median ms',
    `target ≤ ${TARGET_MS} ms`,
    'raw full SELECT ms',
    'raw SQL bucket aggregate ms',
    `raw ${fmtInt(MAX_POINTS)}-row range ms`,
    'osprey / full',
    'osprey / aggregate',
    'osprey / range',
  ];
  return [
    `### metric-history: ${fmtInt(options.points)}-point history sampled to ${fmtInt(MAX_POINTS)} points, medians of up to ${options.reps} repetitions`,
    markdownTable(
      headers,
      results.map((r) => r.row),
    ),
    results.map((r) => r.note).join(' '),
  ].join('\n\n');
}
