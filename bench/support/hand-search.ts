import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';

/** The search the benchmark runs, in Osprey's terms and in the terms of the hand-written SQL. */
export interface SearchCase {
  filterKey: string;
  threshold: number;
  orderKey: string;
  maxResults: number;
}

/** What a hand-written search returns: the page's runs with their latest metrics, params and tags. */
export interface HandRun {
  run: Record<string, unknown>;
  metrics: Record<string, unknown>[];
  params: Record<string, unknown>[];
  tags: Record<string, unknown>[];
}

/** How the hand-written SQL finds the page: join everything then sort, or walk the order_by key's index. */
export type HandPlan = 'join-sort' | 'top-k';

const ACTIVE_IN_EXPERIMENT = (p: (n: number) => string) =>
  `r.experiment_id = ${p(4)} and r.lifecycle_stage = 'active'`;

// The obvious SQL: a join instead of correlated subqueries, NULL sort keys last, then newest first (MLflow's order).
const JOIN_SORT_SQL = (p: (n: number) => string) => `
  select r.run_id from runs r
  join latest_metrics f on f.run_id = r.run_id and f.key = ${p(1)} and f.value > ${p(2)}
  left join latest_metrics o on o.run_id = r.run_id and o.key = ${p(3)}
  where ${ACTIVE_IN_EXPERIMENT(p)}
  order by o.value is null, o.value desc, r.start_time desc, r.run_id
  limit ${p(5)}`;

// The limit: walk latest_metrics(key, value) backwards for the order_by key and stop after one page; the
// filter is a primary-key probe per candidate. `cross join` fixes SQLite's join order (it has no statistics
// without ANALYZE); PostgreSQL finds this plan itself. Runs without a sort value come after, from TAIL_SQL.
const TOP_K_SQL = (p: (n: number) => string, join: string) => `
  select r.run_id from latest_metrics o
  ${join} runs r on r.run_id = o.run_id
  ${join} latest_metrics f on f.run_id = o.run_id and f.key = ${p(1)} and f.value > ${p(2)}
  where o.key = ${p(3)} and o.value is not null and ${ACTIVE_IN_EXPERIMENT(p)}
  order by o.value desc, r.start_time desc, r.run_id
  limit ${p(5)}`;

const TAIL_SQL = (p: (n: number) => string) => `
  select r.run_id from runs r
  join latest_metrics f on f.run_id = r.run_id and f.key = ${p(1)} and f.value > ${p(2)}
  where ${ACTIVE_IN_EXPERIMENT(p)}
    and not exists (select 1 from latest_metrics o where o.run_id = r.run_id and o.key = ${p(3)} and o.value is not null)
  order by r.start_time desc, r.run_id
  limit ${p(5)}`;

function assemble(
  ids: string[],
  runs: Record<string, unknown>[],
  rows: Record<string, Record<string, unknown>[]>,
): HandRun[] {
  const byId = new Map<string, HandRun>();
  for (const run of runs) byId.set(run.run_id as string, { run, metrics: [], params: [], tags: [] });
  for (const kind of ['metrics', 'params', 'tags'] as const) {
    for (const row of rows[kind]!) byId.get(row.run_id as string)?.[kind].push(row);
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The same search by hand on better-sqlite3: prepared once, the id query, then four batched lookups. */
export function sqliteHandSearch(db: SqliteDatabase.Database, experimentId: string, plan: HandPlan) {
  const q = () => '?';
  const search = db.prepare(plan === 'top-k' ? TOP_K_SQL(q, 'cross join') : JOIN_SORT_SQL(q)).pluck();
  const tail = db.prepare(TAIL_SQL(q)).pluck();
  const args = (c: SearchCase, limit: number) => [
    c.filterKey,
    c.threshold,
    c.orderKey,
    Number(experimentId),
    limit,
  ];
  const lookups = new Map<number, Record<string, SqliteDatabase.Statement>>();
  const lookupsFor = (n: number) => {
    let found = lookups.get(n);
    if (!found) {
      const list = Array.from({ length: n }, () => '?').join(', ');
      found = {
        runs: db.prepare(`select * from runs where run_id in (${list})`),
        metrics: db.prepare(`select * from latest_metrics where run_id in (${list}) order by key`),
        params: db.prepare(`select * from params where run_id in (${list}) order by key`),
        tags: db.prepare(`select * from tags where run_id in (${list}) order by key`),
      };
      lookups.set(n, found);
    }
    return found;
  };
  return {
    ids(c: SearchCase): string[] {
      const ids = search.all(...args(c, c.maxResults)) as string[];
      if (plan === 'join-sort' || ids.length === c.maxResults) return ids;
      return [...ids, ...(tail.all(...args(c, c.maxResults - ids.length)) as string[])];
    },
    run(c: SearchCase): HandRun[] {
      const ids = this.ids(c);
      if (ids.length === 0) return [];
      const s = lookupsFor(ids.length);
      const all = (st: SqliteDatabase.Statement) => st.all(...ids) as Record<string, unknown>[];
      return assemble(ids, all(s.runs!), {
        metrics: all(s.metrics!),
        params: all(s.params!),
        tags: all(s.tags!),
      });
    },
  };
}

/** The same search by hand on pg: named prepared statements; the page's lookups (`= any($1)`) in parallel. */
export function pgHandSearch(pool: pg.Pool, experimentId: string, plan: HandPlan) {
  const q = (n: number) => `$${n}`;
  const query = async (name: string, text: string, c: SearchCase, limit: number) =>
    (
      await pool.query<{ run_id: string }>({
        name,
        text,
        values: [c.filterKey, c.threshold, c.orderKey, Number(experimentId), limit],
      })
    ).rows.map((r) => r.run_id);
  const ids = async (c: SearchCase) => {
    if (plan === 'join-sort') return query('hand-join-sort', JOIN_SORT_SQL(q), c, c.maxResults);
    const page = await query('hand-top-k', TOP_K_SQL(q, 'join'), c, c.maxResults);
    if (page.length === c.maxResults) return page;
    return [...page, ...(await query('hand-tail', TAIL_SQL(q), c, c.maxResults - page.length))];
  };
  const lookup = async (page: string[], table: string, order: string) =>
    (
      await pool.query({
        name: `hand-${table}`,
        text: `select * from ${table} where run_id = any($1) ${order}`,
        values: [page],
      })
    ).rows as Record<string, unknown>[];
  return {
    ids,
    async run(c: SearchCase): Promise<HandRun[]> {
      const page = await ids(c);
      if (page.length === 0) return [];
      const [runs, metrics, params, tags] = await Promise.all([
        lookup(page, 'runs', ''),
        lookup(page, 'latest_metrics', 'order by key'),
        lookup(page, 'params', 'order by key'),
        lookup(page, 'tags', 'order by key'),
      ]);
      return assemble(page, runs, { metrics, params, tags });
    },
  };
}
