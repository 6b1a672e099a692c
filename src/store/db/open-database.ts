import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type SqliteDatabase as KyselySqliteDatabase, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { invalidArgument } from '../../errors/index.js';
import { type DialectProfile, POSTGRES_PROFILE, SQLITE_PROFILE } from './dialect-profile.js';
import { migrateToLatest } from './migrations.js';
import type { Schema } from './schema.js';

/** An open metadata database: the query builder plus what differs between dialects. */
export interface Database {
  readonly db: Kysely<Schema>;
  readonly profile: DialectProfile;
  readonly url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Run pending migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

type DialectFactory = (
  url: string,
  options: OpenDatabaseOptions,
) => { db: Kysely<Schema>; profile: DialectProfile };

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

const DIALECTS: Readonly<Record<string, DialectFactory>> = {
  sqlite: (url) => {
    const path = url.replace(/^sqlite:(\/\/)?/, '');
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new SqliteDatabase(path);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 10000');
    database.pragma('foreign_keys = ON');
    // MLflow's LIKE is case-sensitive; ILIKE is compiled to lower() LIKE lower().
    database.pragma('case_sensitive_like = ON');
    return {
      db: new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
      profile: SQLITE_PROFILE,
    };
  },
  postgres: (url, options) => {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      // Timestamps and ids are BIGINT; they fit in a double, so read them as numbers, per pool (not globally).
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === PG_INT8 || oid === PG_NUMERIC
            ? (value: string) => Number(value)
            : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    return { db: new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), profile: POSTGRES_PROFILE };
  },
};

/** Prepared statements kept per connection; a statement is a few kilobytes. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 with its prepared statements kept by SQL text (least recently used dropped first).
 * Kysely prepares every query it runs, and preparing costs as much as running a small statement, or
 * 2 ms for a 1000-row insert. Reusing a statement is safe here: Kysely runs one query at a time on the
 * single SQLite connection (a streamed select holds it until the stream ends), and SQLite re-prepares a
 * statement by itself when the schema changes.
 */
function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) {
        // Map order is insertion order: move the hit to the end, so the first key is the least recent.
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

function dialectOf(url: string): string {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw invalidArgument(`unsupported database URL '${url}': use sqlite:<path> or postgres://…`);
}

/** Opens the database a URL names (`sqlite:<path>`, `sqlite::memory:`, `postgres://…`) and migrates it. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const factory = DIALECTS[dialectOf(url)]!;
  const { db, profile } = factory(url, options);
  if (options.migrate !== false) await migrateToLatest(db, profile);
  return { db, profile, url, close: () => db.destroy() };
}
