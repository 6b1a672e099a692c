import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { type DialectProfile, type Schema, sqlCompare } from '../store/db/index.js';
import type { FilterClause, FilterEntity, OrderByClause } from './query/index.js';
import { lifecycleCondition } from './search-sql.js';
import type { ViewType } from './types.js';

// SQL fragments shared by the run search plans (top-k-search.ts, sorted-run-search.ts). The runs table
// keeps its own name in every statement; other tables get short aliases.

/** A parsed run search: where to look, what must hold, and the order (without the final tiebreak). */
export interface RunSearchSpec {
  readonly experimentIds: readonly number[];
  readonly viewType: ViewType | undefined;
  readonly filter: readonly FilterClause[];
  readonly orderBy: readonly OrderByClause[];
}

/** Where each keyed entity's latest value lives: primary key (run_id, key), index (key, value). */
export const KEYED_TABLES = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

/** Entities stored one row per (run, key). */
export type KeyedEntity = keyof typeof KEYED_TABLES;

const RUN_ATTRIBUTE_COLUMNS: Readonly<Record<string, keyof Schema['runs']>> = {
  run_id: 'run_id',
  run_name: 'run_name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  lifecycle_stage: 'lifecycle_stage',
  start_time: 'start_time',
  end_time: 'end_time',
  experiment_id: 'experiment_id',
};

/** Run attributes whose column may be NULL (a run still running has no end time). */
const NULLABLE_ATTRIBUTES = new Set(['end_time']);

/** Whether an entity lives in a (run_id, key) → value table. */
export function isKeyed(entity: FilterEntity): entity is KeyedEntity {
  return entity === 'metric' || entity === 'param' || entity === 'tag';
}

/** The table of a keyed entity, as an identifier. */
export function keyedTable(entity: KeyedEntity) {
  return sql.table(KEYED_TABLES[entity]);
}

/** Whether two clauses name the same key of the same entity. */
export function sameKey(a: { entity: FilterEntity; key: string }, b: { entity: FilterEntity; key: string }) {
  return a.entity === b.entity && a.key === b.key;
}

/** A run attribute's column (`runs.start_time`). */
export function runColumn(key: string) {
  const column = RUN_ATTRIBUTE_COLUMNS[key];
  if (!column) throw new Error(`unknown run attribute ${key}`);
  return sql.ref(`runs.${column}`);
}

/** Runs of the searched experiments in the searched lifecycle stage. */
export function runScope(spec: RunSearchSpec): RawBuilder<SqlBool> {
  return sql<SqlBool>`runs.experiment_id in (${sql.join([...spec.experimentIds])}) and ${lifecycleCondition('runs', spec.viewType)}`;
}

/** `<alias>.value <op> <value>` for a metric, param or tag clause. */
export function valueMatch(
  profile: DialectProfile,
  alias: string,
  clause: FilterClause,
): Expression<SqlBool> {
  return sqlCompare(profile, sql.ref(`${alias}.value`), clause.comparator, clause.value);
}

/** `<alias>.key = k and <alias>.value <op> v`: a keyed clause on one row of its table. */
export function keyedMatch(
  profile: DialectProfile,
  alias: string,
  clause: FilterClause,
): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${alias}.key`)} = ${clause.key} and ${valueMatch(profile, alias, clause)}`;
}

/**
 * The condition one filter clause puts on a run. Metric, param and tag clauses are EXISTS on the
 * table's primary key (run_id, key): one index probe per candidate run.
 */
export function filterCondition(profile: DialectProfile, clause: FilterClause): Expression<SqlBool> {
  const { entity, key, comparator, value } = clause;
  if (entity === 'attribute') return sqlCompare(profile, runColumn(key), comparator, value);
  if (isKeyed(entity)) {
    return sql<SqlBool>`exists (select 1 from ${keyedTable(entity)} f where f.run_id = runs.run_id and ${keyedMatch(profile, 'f', clause)})`;
  }
  if (entity === 'dataset') {
    const column = sql.ref(key === 'context' ? 'ri.context' : `d.${key}`);
    return sql<SqlBool>`exists (select 1 from run_inputs ri inner join datasets d on d.dataset_id = ri.dataset_id
      where ri.run_id = runs.run_id and ${sqlCompare(profile, column, comparator, value)})`;
  }
  throw new Error(`unknown filter entity ${String(entity)}`);
}

/** Conditions joined with AND (`1 = 1` for none). */
export function allOf(conditions: readonly Expression<SqlBool>[]): RawBuilder<SqlBool> {
  return conditions.length === 0
    ? sql<SqlBool>`1 = 1`
    : sql<SqlBool>`${sql.join([...conditions], sql` and `)}`;
}

/**
 * ORDER BY for `terms` as MLflow orders runs: each term with missing values (no row, NaN stored as
 * NULL) last in either direction, then the tiebreak `start_time DESC, run_id ASC`. Each metric, param
 * or tag term is joined once (`left join … o<i>` on the primary key), never a correlated subquery.
 * `first` ORDER BY items (already written by the caller) come before the terms.
 */
export function orderSql(
  terms: readonly OrderByClause[],
  aliasFrom: number,
  first: readonly RawBuilder<unknown>[] = [],
) {
  const joins: RawBuilder<unknown>[] = [];
  const items = [...first];
  terms.forEach((term, i) => {
    const direction = sql.raw(term.ascending ? 'asc' : 'desc');
    if (isKeyed(term.entity)) {
      const alias = `o${aliasFrom + i}`;
      joins.push(
        sql`left join ${keyedTable(term.entity)} ${sql.raw(alias)} on ${sql.ref(`${alias}.run_id`)} = runs.run_id and ${sql.ref(`${alias}.key`)} = ${term.key}`,
      );
      items.push(sql`${sql.ref(`${alias}.value`)} ${direction} nulls last`);
    } else {
      // A NOT NULL column keeps the bare direction, so PostgreSQL can read it in index order.
      const nulls = sql.raw(NULLABLE_ATTRIBUTES.has(term.key) ? ' nulls last' : '');
      items.push(sql`${runColumn(term.key)} ${direction}${nulls}`);
    }
  });
  // Runs equal on a start_time term are equal on the tiebreak's start_time too: leave it out.
  if (!terms.some((t) => t.entity === 'attribute' && t.key === 'start_time'))
    items.push(sql`runs.start_time desc`);
  items.push(sql`runs.run_id asc`);
  return { joins: sql.join(joins, sql` `), orderBy: sql.join(items) };
}
