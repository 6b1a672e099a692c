import { type Expression, type SqlBool, sql } from 'kysely';
import { type Database, sqlCompare } from '../store/db/index.js';
import { type FilterClause, parseRegistryFilter, parseRegistryOrderBy } from '../tracking/query/index.js';
import type { RegistrySearchInput } from './types.js';

const MODEL_COLUMNS: Readonly<Record<string, string>> = {
  name: 'registered_models.name',
  creation_timestamp: 'registered_models.creation_time',
  last_updated_timestamp: 'registered_models.last_updated_time',
};

const VERSION_COLUMNS: Readonly<Record<string, string>> = {
  name: 'model_versions.name',
  run_id: 'model_versions.run_id',
  source: 'model_versions.source',
  version_number: 'model_versions.version',
  creation_timestamp: 'model_versions.creation_time',
  last_updated_timestamp: 'model_versions.last_updated_time',
};

function modelClause(database: Database, clause: FilterClause): Expression<SqlBool> {
  if (clause.entity === 'attribute') {
    return sqlCompare(database.profile, sql.ref(MODEL_COLUMNS[clause.key]!), clause.comparator, clause.value);
  }
  const match = sqlCompare(database.profile, sql.ref('t.value'), clause.comparator, clause.value);
  return sql<SqlBool>`exists (select 1 from registered_model_tags t where t.name = registered_models.name and t.key = ${clause.key} and ${match})`;
}

function versionClause(database: Database, clause: FilterClause): Expression<SqlBool> {
  if (clause.entity === 'attribute') {
    return sqlCompare(
      database.profile,
      sql.ref(VERSION_COLUMNS[clause.key]!),
      clause.comparator,
      clause.value,
    );
  }
  const match = sqlCompare(database.profile, sql.ref('t.value'), clause.comparator, clause.value);
  return sql<SqlBool>`exists (select 1 from model_version_tags t where t.name = model_versions.name and t.version = model_versions.version and t.key = ${clause.key} and ${match})`;
}

/** One query over registered models for MLflow's registry filter and order_by (default: name ascending). */
export function compileModelSearch(database: Database, input: RegistrySearchInput) {
  const clauses = parseRegistryFilter(input.filter, 'registered_model');
  const orderBy = parseRegistryOrderBy(input.orderBy, 'registered_model');
  let query = database.db
    .selectFrom('registered_models')
    .selectAll()
    .where((eb) => eb.and(clauses.map((c) => modelClause(database, c))));
  for (const clause of orderBy)
    query = query.orderBy(sql.ref(MODEL_COLUMNS[clause.key]!), clause.ascending ? 'asc' : 'desc');
  return query.orderBy('registered_models.name', 'asc');
}

/** One query over model versions (default: name ascending, newest version first). */
export function compileVersionSearch(database: Database, input: RegistrySearchInput) {
  const clauses = parseRegistryFilter(input.filter, 'model_version');
  const orderBy = parseRegistryOrderBy(input.orderBy, 'model_version');
  let query = database.db
    .selectFrom('model_versions')
    .selectAll()
    .where((eb) => eb.and(clauses.map((c) => versionClause(database, c))));
  for (const clause of orderBy)
    query = query.orderBy(sql.ref(VERSION_COLUMNS[clause.key]!), clause.ascending ? 'asc' : 'desc');
  return query.orderBy('model_versions.name', 'asc').orderBy('model_versions.version', 'desc');
}
