/**
 * How a statement takes a batch of rows (many rows in one statement, e.g. a 1000-point metric batch).
 * - `values-list`: a multi-row `VALUES (…), (…)` list with one parameter per cell. Its text depends only
 *   on the row count, and the connection keeps prepared statements by text, so a batch size seen before
 *   costs no prepare (SQLite: measured at the cost of 1000 single-row inserts of a cached statement,
 *   where one JSON parameter read with `json_each` costs 50 % more).
 * - `column-arrays`: one array parameter per column, expanded with `unnest(…)`: the text is the same for
 *   every batch and cheap to plan, where a 5000-parameter VALUES list is parsed and planned on every call
 *   (PostgreSQL: about 20 ms per 1000-row insert).
 */
export type BatchRowsStyle = 'values-list' | 'column-arrays';

/** What differs between the supported databases, as data rather than branches in queries. */
export interface DialectProfile {
  readonly name: 'sqlite' | 'postgres';
  /** Column type of an auto-increment integer primary key. */
  readonly serialType: 'integer' | 'bigserial';
  /** Maximum bound parameters in one statement (SQLite 32766, PostgreSQL 65535). */
  readonly maxParameters: number;
  /** Whether LIKE is case-sensitive by default (PostgreSQL yes; SQLite no, fixed by PRAGMA). */
  readonly hasIlike: boolean;
  /** How a statement takes a batch of rows; see {@link BatchRowsStyle}. */
  readonly batchRows: BatchRowsStyle;
}

export const SQLITE_PROFILE: DialectProfile = Object.freeze({
  name: 'sqlite',
  serialType: 'integer',
  maxParameters: 32766,
  hasIlike: false,
  batchRows: 'values-list',
});

export const POSTGRES_PROFILE: DialectProfile = Object.freeze({
  name: 'postgres',
  serialType: 'bigserial',
  maxParameters: 65535,
  hasIlike: true,
  batchRows: 'column-arrays',
});
