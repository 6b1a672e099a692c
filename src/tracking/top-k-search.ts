import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { DialectProfile, Schema } from '../store/db/index.js';
import type { OrderByClause } from './query/index.js';
import {
  allOf,
  filterCondition,
  isKeyed,
  keyedTable,
  orderSql,
  type RunSearchSpec,
  runScope,
  sameKey,
  valueMatch,
} from './run-search-sql.js';

/** A page of a search: `limit` rows from row `offset` of the whole ordered result. */
export interface PageWindow {
  offset: number;
  limit: number;
}

/**
 * One page of run ids when the first order_by term is a metric, param or tag (top-k). The runs
 * holding the key come first in MLflow's order, and are read by walking the key's `(key, value)`
 * index in the requested direction, each candidate probed for the filter by primary key, stopping
 * once the page is full. The runs missing the key (or NaN) come after all of them, so they are read
 * only when the page is not full, from the offset `offset - holders`; the number of holders is known
 * from the walk unless the page starts past them all, and only then counted.
 */
export async function walkOrderKey(
  db: Kysely<Schema>,
  profile: DialectProfile,
  spec: RunSearchSpec,
  { offset, limit }: PageWindow,
): Promise<string[]> {
  const [first, ...rest] = spec.orderBy as [OrderByClause, ...OrderByClause[]];
  if (!isKeyed(first.entity)) throw new Error('walkOrderKey needs a metric, param or tag first');
  // Clauses on the walked key itself bound the walk's range instead of probing.
  const onKey = spec.filter.filter((c) => sameKey(c, first));
  const others = spec.filter.filter((c) => !sameKey(c, first)).map((c) => filterCondition(profile, c));
  // `cross join` makes SQLite (which has no statistics) read o0 first, in index order; PostgreSQL
  // plans it as an inner join. `o0.value is not null` keeps NaN out and lets the index start at the
  // first value; the bare direction is the index's own order on both databases.
  const holders = sql`from ${keyedTable(first.entity)} o0 cross join runs`;
  const holding = allOf([
    sql<SqlBool>`o0.key = ${first.key} and o0.value is not null`,
    ...onKey.map((c) => valueMatch(profile, 'o0', c)),
    sql<SqlBool>`runs.run_id = o0.run_id`,
    runScope(spec),
    ...others,
  ]);
  const order = orderSql(rest, 1, [sql`o0.value ${sql.raw(first.ascending ? 'asc' : 'desc')}`]);
  const { rows } = await sql<{ run_id: string }>`select runs.run_id ${holders} ${order.joins}
    where ${holding} order by ${order.orderBy} limit ${limit} offset ${offset}`.execute(db);
  const ids = rows.map((row) => row.run_id);
  // A filter on the key excludes every run missing it: nothing comes after the holders.
  if (ids.length === limit || onKey.length > 0) return ids;

  let holderCount = offset + ids.length;
  if (ids.length === 0 && offset > 0) {
    const counted = await sql<{
      n: number | string;
    }>`select count(*) as n ${holders} where ${holding}`.execute(db);
    holderCount = Number(counted.rows[0]!.n);
  }
  const missing: Expression<SqlBool> = sql<SqlBool>`not exists (select 1 from ${keyedTable(first.entity)} m
    where m.run_id = runs.run_id and m.key = ${first.key} and m.value is not null)`;
  const tail = orderSql(rest, 1);
  const tailRows = await sql<{ run_id: string }>`select runs.run_id from runs ${tail.joins}
    where ${allOf([runScope(spec), ...others, missing])} order by ${tail.orderBy}
    limit ${limit - ids.length} offset ${Math.max(0, offset - holderCount)}`.execute(db);
  return [...ids, ...tailRows.rows.map((row) => row.run_id)];
}
