export type { DialectProfile } from './dialect-profile.js';
export { type Database, type OpenDatabaseOptions, openDatabase } from './open-database.js';
export type * from './schema.js';
export { type SqlComparator, sqlCompare } from './sql-compare.js';
export { isUniqueViolation } from './sql-errors.js';
