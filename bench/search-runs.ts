// Search latency at scale: N runs × 10 metrics × 10 params in one experiment, a metric filter and a metric
// order_by, through Osprey's search service beside the same search written by hand in SQL on the same database.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Osprey } from '../src/app/index.js';
import { type HandRun, pgHandSearch, type SearchCase, sqliteHandSearch } from './support/hand-search.js';
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
  quantile,
  timed,
} from './support/index.js';
import { cachedSqliteDataset, loadPgDataset } from './support/search-dataset.js';

export interface SearchRunsOptions {
  /** Runs in the experiment (100,000 for the published figures). */
  runs: number;
  /** Timed queries per case and implementation (p50 and p99 over them)... */
  queries: number;
  /** ...unless a case has taken this long (then at least 10 are kept), so a loaded machine still finishes. */
  budgetMs: number;
}

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'store', 'db', 'migrations.ts');
const CASES: SearchCase[] = [100, 1000].map((maxResults) => ({
  filterKey: 'm3',
  threshold: 0.5,
  orderKey: 'm7',
  maxResults,
}));
const SIDES = ['osprey', 'join-sort', 'top-k'] as const;
type Side = (typeof SIDES)[number];

interface Hand {
  run(c: SearchCase): Promise<HandRun[]> | HandRun[];
}

const ospreySearch = (osprey: Osprey, experimentId: string, c: SearchCase) =>
  osprey.tracking.search.search({
    experimentIds: [experimentId],
    filter: `metrics.${c.filterKey} > ${c.threshold}`,
    orderBy: [`metrics.${c.orderKey} DESC`],
    maxResults: c.maxResults,
  });

/** Checks every side returns the same page in the same order, so the timings compare the same work. */
async function checkSame(
  osprey: Osprey,
  hands: Record<Exclude<Side, 'osprey'>, Hand>,
  experimentId: string,
  c: SearchCase,
) {
  const ours = (await ospreySearch(osprey, experimentId, c)).items;
  if (ours.length !== c.maxResults)
    throw new Error(`osprey returned ${ours.length} runs, not ${c.maxResults}`);
  for (const [name, hand] of Object.entries(hands)) {
    const theirs = await hand.run(c);
    const same =
      ours.map((r) => r.info.runId).join() === theirs.map((r) => r.run.run_id).join() &&
      ours[0]!.data.metrics.length === theirs[0]!.metrics.length &&
      ours[0]!.data.params.length === theirs[0]!.params.length &&
      ours[0]!.data.tags.length === theirs[0]!.tags.length;
    if (!same) throw new Error(`hand ${name} search differs from Osprey's for max_results=${c.maxResults}`);
  }
}

async function measure(
  database: string,
  osprey: Osprey,
  hands: Record<Exclude<Side, 'osprey'>, Hand>,
  experimentId: string,
  options: SearchRunsOptions,
) {
  const rows: string[][] = [];
  const run: Record<Side, (c: SearchCase) => Promise<unknown>> = {
    osprey: (c) => ospreySearch(osprey, experimentId, c),
    'join-sort': async (c) => hands['join-sort'].run(c),
    'top-k': async (c) => hands['top-k'].run(c),
  };
  for (const c of CASES) {
    await checkSame(osprey, hands, experimentId, c);
    const times: Record<Side, number[]> = { osprey: [], 'join-sort': [], 'top-k': [] };
    const started = Date.now();
    for (let i = -2; i < options.queries; i++) {
      if (i >= 10 && Date.now() - started > options.budgetMs) break;
      // Rotate who goes first; the first two rounds only warm up.
      for (let s = 0; s < SIDES.length; s++) {
        const side = SIDES[(s + i + 3) % SIDES.length]!;
        const { ms } = await timed(() => run[side](c));
        if (i >= 0) times[side].push(ms);
      }
    }
    const p50 = median(times.osprey);
    const target =
      database === 'SQLite'
        ? p50 <= 100
          ? 'met (≤ 100 ms)'
          : `missed: ${fmtTimes(p50 / 100)} the 100 ms`
        : '–';
    rows.push([
      database,
      fmtInt(c.maxResults),
      String(times.osprey.length),
      fmtMs(p50),
      fmtMs(quantile(times.osprey, 0.99)),
      fmtMs(median(times['join-sort'])),
      fmtMs(median(times['top-k'])),
      fmtMs(quantile(times['top-k'], 0.99)),
      fmtTimes(p50 / median(times['join-sort'])),
      fmtTimes(p50 / median(times['top-k'])),
      target,
    ]);
  }
  return rows;
}

async function onSqlite(options: SearchRunsOptions): Promise<{ rows: string[][]; note: string }> {
  const { ms, result } = await timed(() => cachedSqliteDataset(options.runs, MIGRATIONS));
  const osprey = await openOsprey(`sqlite:${result.path}`);
  const db = openRawSqlite(result.path);
  try {
    const hands = {
      'join-sort': sqliteHandSearch(db, result.experimentId, 'join-sort'),
      'top-k': sqliteHandSearch(db, result.experimentId, 'top-k'),
    };
    const rows = await measure('SQLite', osprey, hands, result.experimentId, options);
    return {
      rows,
      note: `SQLite dataset ready in ${(ms / 1000).toFixed(1)} s (cached under bench/out/ after the first run).`,
    };
  } finally {
    db.close();
    await osprey.close();
  }
}

async function onPostgres(options: SearchRunsOptions): Promise<{ rows: string[][]; note: string }> {
  const scratch = await createScratchPg('search_runs');
  try {
    const osprey = await openOsprey(scratch.url);
    const pool = openRawPg(scratch.url, 4);
    try {
      const { ms, result: experimentId } = await timed(() => loadPgDataset(scratch.url, pool, options.runs));
      const hands = {
        'join-sort': pgHandSearch(pool, experimentId, 'join-sort'),
        'top-k': pgHandSearch(pool, experimentId, 'top-k'),
      };
      const rows = await measure('PostgreSQL', osprey, hands, experimentId, options);
      return {
        rows,
        note: `PostgreSQL dataset loaded in ${(ms / 1000).toFixed(1)} s (generated server-side, indexes rebuilt, ANALYZE).`,
      };
    } finally {
      await pool.end();
      await osprey.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** Runs the search benchmark on SQLite and (when reachable) PostgreSQL and returns a markdown report. */
export async function searchRunsBench(options: SearchRunsOptions): Promise<string> {
  const results = [await onSqlite(options)];
  if (await pgAvailable()) results.push(await onPostgres(options));
  const headers = [
    'database',
    'max_results',
    'queries',
    'osprey p50 ms',
    'osprey p99 ms',
    'hand join+sort p50 ms',
    'hand top-k p50 ms',
    'hand top-k p99 ms',
    'osprey / join+sort',
    'osprey / top-k',
    'target (SQLite p50)',
  ];
  return [
    `### search-runs: ${fmtInt(options.runs)} runs × 10 metrics × 10 params, ` +
      `filter \`metrics.m3 > 0.5\`, order_by \`metrics.m7 DESC\`, up to ${options.queries} queries per cell`,
    markdownTable(
      headers,
      results.flatMap((r) => r.rows),
    ),
    results.map((r) => r.note).join(' '),
  ].join('\n\n');
}
