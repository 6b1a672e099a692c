import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/** bench/out: generated databases and profiles (gitignored). */
export const OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'out');

/** The PostgreSQL server the benchmarks create their scratch databases on. */
export function pgAdminUrl(): string {
  return process.env.OSPREY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Whether the PostgreSQL server answers (the PostgreSQL rows are skipped when it does not). */
export async function pgAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgAdminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A scratch database on the PostgreSQL server, created empty and dropped by `drop()`. */
export interface ScratchPg {
  readonly url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops a database once its connections are gone. A closed pg pool may still be closing its sockets;
 * dropping WITH (FORCE) at that moment makes the server terminate them, and the closing client then
 * raises an unhandled error. So wait (up to 10 s) before forcing.
 */
async function dropWhenFree(client: pg.Client, dbName: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    try {
      await client.query(`drop database if exists ${dbName}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006') throw error; // 55006: object in use
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await client.query(`drop database if exists ${dbName} with (force)`);
}

/** Creates `osprey_bench_<name>_<pid>` (dropping a leftover of the same name first). */
export async function createScratchPg(name: string): Promise<ScratchPg> {
  const dbName = `osprey_bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  await admin(async (c) => {
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.query(`create database ${dbName}`);
  });
  const url = new URL(pgAdminUrl());
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => dropWhenFree(c, dbName)),
  };
}

/**
 * The path of a generated file cached in bench/out as `<prefix><hash>.db`, after removing the versions
 * of it made for another hash (a fresh clone has no bench/out yet: it is created).
 */
export function cachedPath(prefix: string, hash: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const name = `${prefix}${hash}.db`;
  for (const stale of readdirSync(OUT_DIR).filter((f) => f.startsWith(prefix) && !f.startsWith(name)))
    rmSync(join(OUT_DIR, stale), { force: true });
  return join(OUT_DIR, name);
}

/** A scratch SQLite file under bench/out, removed (with its WAL files) by `remove()`. */
export function scratchSqlite(name: string): { path: string; url: string; remove(): void } {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, `scratch-${name}-${process.pid}.db`);
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  };
  remove();
  return { path, url: `sqlite:${path}`, remove };
}

/** Opens a raw better-sqlite3 connection with the pragmas Osprey's own connection uses (fair baseline). */
export function openRawSqlite(path: string, { readonly = false } = {}): SqliteDatabase.Database {
  if (readonly && !existsSync(path)) throw new Error(`no database at ${path}`);
  const db = new SqliteDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  return db;
}

/** Opens a raw pg pool on a database URL, reading BIGINT as numbers as Osprey's pool does. */
export function openRawPg(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server closes (a dropped database) must not crash the benchmark.
  pool.on('error', () => {});
  return pool;
}
