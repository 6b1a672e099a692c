import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The PostgreSQL server the scale-out tests use (CI always has it). */
export const POSTGRES_URL = process.env.OSPREY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty SQLite file in a temporary directory. */
export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-test-'));
  return {
    name: 'sqlite',
    url: `sqlite:${join(dir, 'osprey.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh PostgreSQL database (created on the test server, dropped afterwards). */
export async function postgresDatabase(): Promise<TestDatabase> {
  const name = `osprey_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        // pg-pool's end() resolves before its sockets are gone; dropping WITH (FORCE) under a closing
        // connection makes that connection raise "terminating connection" in the test process.
        for (let i = 0; i < 100; i++) {
          const { rows } = await client.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

let reachable: Promise<boolean> | undefined;

/** Whether the PostgreSQL server answers; asked once per process. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  return reachable;
}

/**
 * The dialects a contract suite runs on. PostgreSQL is skipped only when unreachable, with a loud
 * message, and never under CI (CI=true), where an unreachable server is a failure.
 */
export async function dialects(): Promise<
  { name: 'sqlite' | 'postgres'; create: () => Promise<TestDatabase>; skip: string | false }[]
> {
  const pgUp = await postgresReachable();
  if (!pgUp && process.env.CI === 'true')
    throw new Error(`PostgreSQL at ${POSTGRES_URL} is unreachable, and CI requires it`);
  if (!pgUp) console.warn(`\n*** SKIPPING PostgreSQL tests: ${POSTGRES_URL} is unreachable ***\n`);
  return [
    { name: 'sqlite', create: async () => sqliteDatabase(), skip: false },
    {
      name: 'postgres',
      create: postgresDatabase,
      skip: pgUp ? false : `PostgreSQL unreachable at ${POSTGRES_URL}`,
    },
  ];
}
