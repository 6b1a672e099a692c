export {
  type BatchColumn,
  type BatchColumnType,
  type BatchStatement,
  type BatchStatementSpec,
  createBatchStatement,
} from './batch-statement.js';
export type { DialectProfile } from './dialect-profile.js';
export { type Database, type OpenDatabaseOptions, openDatabase } from './open-database.js';
export type * from './schema.js';
export { type SqlComparator, sqlCompare } from './sql-compare.js';
export { isUniqueViolation } from './sql-errors.js';
