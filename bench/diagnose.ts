// Where the time goes: each benchmark's Osprey call split into time inside the database driver (by
// statement kind) and the JavaScript around it, plus the query plans of the slow statements.
// Usage: node --import tsx bench/diagnose.ts [log-batch|search-runs|metric-history] [--quick]
//        [--server-cpu-prof-dir=<dir>]  (profile log-batch's HTTP server process)
// For the JavaScript part, add `--cpu-prof --cpu-prof-dir=bench/out/prof` before `--import` and read the
// profile with bench/profile-summary.ts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Osprey } from '../src/app/index.js';
import type { Metric } from '../src/tracking/index.js';
import { cachedSqliteHistory, HISTORY_KEY, logHistory } from './support/history-dataset.js';
import {
  createScratchPg,
  fmtMs,
  markdownTable,
  median,
  openOsprey,
  openRawPg,
  openRawSqlite,
  pgAvailable,
  scratchSqlite,
  startServerProcess,
  timed,
} from './support/index.js';
import { metricBatch, seededRandom } from './support/metric-points.js';
import { rawPgInserter, rawSqliteInserter } from './support/raw-insert.js';
import { cachedSqliteDataset, loadPgDataset } from './support/search-dataset.js';
import { instrumentPg, instrumentSqlite, type SqlTimer } from './support/sql-timing.js';

type Dialect = 'sqlite' | 'postgres';
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const quick = process.argv.includes('--quick');
const serverCpuProfDir = process.argv.find((a) => a.startsWith('--server-cpu-prof-dir='))?.split('=')[1];

/** Runs `call` `times` times under a driver timer; prints SQL time per kind and the JavaScript remainder, per call. */
async function split(
  title: string,
  dialect: Dialect,
  times: number,
  call: (i: number) => Promise<unknown>,
): Promise<SqlTimer> {
  await call(-1);
  const timer = dialect === 'sqlite' ? instrumentSqlite() : instrumentPg();
  const durations: number[] = [];
  for (let i = 0; i < times; i++) durations.push((await timed(() => call(i))).ms);
  timer.uninstall();
  const total = durations.reduce((a, b) => a + b, 0);
  const rows = timer
    .report()
    .map((r) => [
      r.kind,
      String(r.calls / times),
      fmtMs(r.ms / times),
      `${((100 * r.ms) / total).toFixed(0)}%`,
    ]);
  const js = total - timer.totalMs();
  rows.push([
    'database driver, any statement in flight',
    '–',
    fmtMs(timer.totalMs() / times),
    `${((100 * timer.totalMs()) / total).toFixed(0)}%`,
  ]);
  rows.push([
    'JavaScript (no statement in flight)',
    '–',
    fmtMs(js / times),
    `${((100 * js) / total).toFixed(0)}%`,
  ]);
  console.log(
    `\n#### ${title} (${dialect}): ${fmtMs(total / times)} ms per call (median ${fmtMs(median(durations))}), ${times} calls\n`,
  );
  console.log(markdownTable(['where', 'statements per call', 'ms per call', 'share'], rows));
  return timer;
}

async function explain(
  dialect: Dialect,
  timer: SqlTimer,
  kind: string,
  target: { path?: string; pool?: pg.Pool },
) {
  const sample = timer.sample(kind);
  if (!sample) return;
  console.log(`\nplan of \`${kind}\`: ${sample.text.replace(/\s+/g, ' ').slice(0, 600)}\n`);
  if (dialect === 'sqlite') {
    const db = openRawSqlite(target.path!);
    const plan = db.prepare(`explain query plan ${sample.text}`).all(...sample.params) as {
      detail: string;
    }[];
    db.close();
    console.log(plan.map((p) => `    ${p.detail}`).join('\n'));
  } else {
    const { rows } = await target.pool!.query(`explain (analyze, buffers) ${sample.text}`, sample.params);
    console.log(rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n'));
  }
}

async function withDatabase<T>(
  dialect: Dialect,
  name: string,
  fn: (url: string, path: string) => Promise<T>,
): Promise<T> {
  if (dialect === 'sqlite') {
    const file = scratchSqlite(name);
    try {
      return await fn(file.url, file.path);
    } finally {
      file.remove();
    }
  }
  const scratch = await createScratchPg(name);
  try {
    return await fn(scratch.url, '');
  } finally {
    await scratch.drop();
  }
}

async function logBatch(dialect: Dialect): Promise<void> {
  const random = seededRandom(42);
  const batches: Metric[][] = Array.from({ length: quick ? 10 : 40 }, (_, i) => metricBatch(i * 100, random));
  await withDatabase(dialect, 'diagnose_log', async (url, path) => {
    const osprey = await openOsprey(url);
    const newRun = async () => (await osprey.tracking.runs.create({ experimentId: '0' })).info.runId;
    const raw = dialect === 'sqlite' ? rawSqliteInserter(path) : rawPgInserter(url, 1);
    const rawRun = await newRun();
    await raw.insert([rawRun], batches.slice(0, 2), 1);
    const rawMs = (await timed(() => raw.insert([rawRun], batches, 1))).ms / batches.length;
    await raw.close();
    const runId = await newRun();
    await split('service logger.logBatch, 1000 points', dialect, batches.length, (i) =>
      osprey.tracking.logger.logBatch(runId, { metrics: batches[Math.max(i, 0)]! }),
    );
    console.log(`\nraw insert of the same 1000 rows: ${fmtMs(rawMs)} ms per batch`);
    const server = await startServerProcess(url, { cpuProfDir: serverCpuProfDir });
    try {
      for (const api of ['native', 'mlflow'] as const) {
        const httpRun = await newRun();
        const send = async (metrics: Metric[]) => {
          const native = api === 'native';
          const response = await fetch(
            `${server.url}${native ? `/api/v1/runs/${httpRun}/batch` : '/api/2.0/mlflow/runs/log-batch'}`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(native ? { metrics } : { run_id: httpRun, metrics }),
            },
          );
          if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        };
        await send(batches[0]!);
        const ms =
          (
            await timed(async () => {
              for (const b of batches) await send(b);
            })
          ).ms / batches.length;
        console.log(
          `HTTP ${api} batch, one client, sequential: ${fmtMs(ms)} ms per batch (server in another process)`,
        );
      }
    } finally {
      await server.stop();
      await osprey.close();
    }
  });
}

async function searchRuns(dialect: Dialect): Promise<void> {
  const runs = quick ? 2000 : 100_000;
  const run = async (osprey: Osprey, experimentId: string, target: { path?: string; pool?: pg.Pool }) => {
    for (const maxResults of [100, 1000]) {
      const timer = await split(
        `search metrics.m3 > 0.5 order by metrics.m7 DESC, max_results ${maxResults}`,
        dialect,
        quick ? 2 : 5,
        () =>
          osprey.tracking.search.search({
            experimentIds: [experimentId],
            filter: 'metrics.m3 > 0.5',
            orderBy: ['metrics.m7 DESC'],
            maxResults,
          }),
      );
      // The slowest statement: the plans change, so it is found by time rather than by name.
      const slowest = timer.report().find((r) => /^(execute: )?select /.test(r.kind));
      if (maxResults === 100 && slowest)
        await explain(dialect, timer, slowest.kind.replace(/^execute: /, ''), target);
    }
  };
  if (dialect === 'sqlite') {
    const { path, experimentId } = await cachedSqliteDataset(runs, join(SRC, 'store', 'db', 'migrations.ts'));
    const osprey = await openOsprey(`sqlite:${path}`);
    await run(osprey, experimentId, { path }).finally(() => osprey.close());
    return;
  }
  await withDatabase(dialect, 'diagnose_search', async (url) => {
    const osprey = await openOsprey(url);
    const pool = openRawPg(url, 2);
    try {
      await run(osprey, await loadPgDataset(url, pool, runs), { pool });
    } finally {
      await pool.end();
      await osprey.close();
    }
  });
}

async function metricHistory(dialect: Dialect): Promise<void> {
  const points = quick ? 20_000 : 1_000_000;
  const run = (osprey: Osprey, runId: string) =>
    split(`sampled ${points}-point history to 1000 points`, dialect, quick ? 3 : 7, () =>
      osprey.tracking.metrics.sampled({ runId, key: HISTORY_KEY, maxPoints: 1000 }),
    );
  if (dialect === 'sqlite') {
    const { path, runId } = await cachedSqliteHistory(points, SRC);
    const osprey = await openOsprey(`sqlite:${path}`);
    await run(osprey, runId).finally(() => osprey.close());
    rollupLevels(path, runId);
    return;
  }
  await withDatabase(dialect, 'diagnose_history', async (url) => {
    const osprey = await openOsprey(url);
    try {
      await run(osprey, await logHistory(osprey, points, 4));
    } finally {
      await osprey.close();
    }
  });
}

/** Rows and read time of each rollup level of the history (SQLite), if the schema has rollups. */
function rollupLevels(path: string, runId: string): void {
  const db = openRawSqlite(path);
  try {
    const exists = db.prepare("select 1 from sqlite_master where name = 'metric_rollups'").get();
    if (!exists) return;
    const read = db.prepare(
      'select * from metric_rollups where run_id = ? and key = ? and level = ? order by bucket',
    );
    const levels = db
      .prepare('select distinct level from metric_rollups order by level')
      .pluck()
      .all() as number[];
    for (const level of levels) {
      read.all(runId, HISTORY_KEY, level);
      const times = Array.from({ length: 5 }, () => {
        const start = process.hrtime.bigint();
        const rows = read.all(runId, HISTORY_KEY, level).length;
        return { rows, ms: Number(process.hrtime.bigint() - start) / 1e6 };
      });
      const ms = median(times.map((t) => t.ms));
      console.log(
        `raw read of rollup level ${level}: ${times[0]!.rows} rows in ${fmtMs(ms)} ms (median of 5)`,
      );
    }
  } finally {
    db.close();
  }
}

const DIAGNOSES: Record<string, (dialect: Dialect) => Promise<void>> = {
  'log-batch': logBatch,
  'search-runs': searchRuns,
  'metric-history': metricHistory,
};
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dialects: Dialect[] = (await pgAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
for (const name of names.length > 0 ? names : Object.keys(DIAGNOSES)) {
  const diagnose = DIAGNOSES[name];
  if (!diagnose)
    throw new Error(`unknown benchmark ${name}; choose from ${Object.keys(DIAGNOSES).join(', ')}`);
  console.log(`\n### ${name}`);
  for (const dialect of dialects) await diagnose(dialect);
}
