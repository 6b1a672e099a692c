import { type Expression, type SqlBool, sql } from 'kysely';
import type { DialectProfile } from './dialect-profile.js';

/** The comparators of MLflow-style search filters. */
export type SqlComparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

/**
 * `column <op> value` for every search comparator, the same on every dialect: ILIKE becomes
 * `lower() LIKE lower()` where the database has none. Values are always bound, never inlined.
 */
export function sqlCompare(
  profile: DialectProfile,
  column: Expression<unknown>,
  comparator: SqlComparator,
  value: string | number | readonly string[],
): Expression<SqlBool> {
  switch (comparator) {
    case 'IN':
      return sql<SqlBool>`${column} in (${sql.join(value as readonly string[])})`;
    case 'NOT IN':
      return sql<SqlBool>`${column} not in (${sql.join(value as readonly string[])})`;
    case 'ILIKE':
      return profile.hasIlike
        ? sql<SqlBool>`${column} ilike ${value}`
        : sql<SqlBool>`lower(${column}) like lower(${value})`;
    case 'LIKE':
      return sql<SqlBool>`${column} like ${value}`;
    default:
      return sql<SqlBool>`${column} ${sql.raw(comparator)} ${value}`;
  }
}
