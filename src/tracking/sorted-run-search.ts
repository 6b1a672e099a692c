import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DialectProfile, Schema } from '../store/db/index.js';
import type { FilterClause } from './query/index.js';
import {
  allOf,
  filterCondition,
  keyedMatch,
  keyedTable,
  orderSql,
  type RunSearchSpec,
  runScope,
} from './run-search-sql.js';
import type { PageWindow } from './top-k-search.js';

/**
 * One page of run ids by sorting every match in MLflow's order. With a `driver` (a metric, param or
 * tag clause matching few runs) the query starts from that clause's `(key, value)` index
 * (`cross join` fixes the order on SQLite) and the clause is not probed again; without one, the
 * database reads the experiments' runs through the runs table's indexes (for the default order or a
 * start_time order it walks `runs (experiment_id, start_time)` and stops after the page).
 */
export async function sortedRunIds(
  db: Kysely<Schema>,
  profile: DialectProfile,
  spec: RunSearchSpec,
  driver: FilterClause | undefined,
  { offset, limit }: PageWindow,
): Promise<string[]> {
  const order = orderSql(spec.orderBy, 0);
  const others = spec.filter.filter((c) => c !== driver).map((c) => filterCondition(profile, c));
  const conditions = [runScope(spec), ...others];
  let from = sql`from runs`;
  if (driver) {
    from = sql`from ${keyedTable(driver.entity as 'metric')} d cross join runs`;
    conditions.unshift(keyedMatch(profile, 'd', driver), sql<SqlBool>`runs.run_id = d.run_id`);
  }
  const { rows } = await sql<{ run_id: string }>`select runs.run_id ${from} ${order.joins}
    where ${allOf(conditions)} order by ${order.orderBy} limit ${limit} offset ${offset}`.execute(db);
  return rows.map((row) => row.run_id);
}
