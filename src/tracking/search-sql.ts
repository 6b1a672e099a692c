import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { type Database, type Schema, sqlCompare } from '../store/db/index.js';
import { pageOffset } from './paging.js';
import { type FilterClause, parseExperimentFilter, parseExperimentOrderBy } from './query/index.js';
import type { SearchExperimentsInput, ViewType } from './types.js';

type ExperimentsEb = ExpressionBuilder<Schema, 'experiments'>;

const EXPERIMENT_ATTRIBUTE_COLUMNS: Readonly<Record<string, keyof Schema['experiments']>> = {
  experiment_id: 'experiment_id',
  name: 'name',
  creation_time: 'creation_time',
  last_update_time: 'last_update_time',
  lifecycle_stage: 'lifecycle_stage',
};

/** `<table>.lifecycle_stage` for a view type (ACTIVE_ONLY by default). */
export function lifecycleCondition(
  table: 'runs' | 'experiments',
  viewType: ViewType | undefined,
): Expression<SqlBool> {
  if (viewType === 'ALL') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.ref(`${table}.lifecycle_stage`)} = ${viewType === 'DELETED_ONLY' ? 'deleted' : 'active'}`;
}

/** Compiles an experiment search to one query selecting experiment rows. */
export function compileExperimentSearch(database: Database, input: SearchExperimentsInput) {
  const clauses = parseExperimentFilter(input.filter);
  const orderBy = parseExperimentOrderBy(input.orderBy);
  const offset = pageOffset(input.pageToken);
  let query = database.db
    .selectFrom('experiments')
    .selectAll('experiments')
    .where((eb) =>
      eb.and([
        lifecycleCondition('experiments', input.viewType),
        ...clauses.map((clause) => experimentClause(database, eb, clause)),
      ]),
    );
  for (const clause of orderBy) {
    const column = sql.ref(`experiments.${EXPERIMENT_ATTRIBUTE_COLUMNS[clause.key]!}`);
    query = query.orderBy(sql`${column} is null`).orderBy(column, clause.ascending ? 'asc' : 'desc');
  }
  if (orderBy.length === 0) query = query.orderBy('experiments.creation_time', 'desc');
  query = query.orderBy('experiments.experiment_id', 'asc');
  return { query, offset };
}

function experimentClause(database: Database, eb: ExperimentsEb, clause: FilterClause): Expression<SqlBool> {
  if (clause.entity === 'attribute') {
    return sqlCompare(
      database.profile,
      eb.ref(`experiments.${EXPERIMENT_ATTRIBUTE_COLUMNS[clause.key]!}`),
      clause.comparator,
      clause.value,
    );
  }
  return eb.exists(
    eb
      .selectFrom('experiment_tags as f')
      .select(sql.lit(1).as('one'))
      .whereRef('f.experiment_id', '=', 'experiments.experiment_id')
      .where('f.key', '=', clause.key)
      .where(() => sqlCompare(database.profile, sql.ref('f.value'), clause.comparator, clause.value)),
  );
}
