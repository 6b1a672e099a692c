import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { pgAdminUrl } from './databases.js';

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

async function pgVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: pgAdminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return rows[0]?.v ?? '?';
  } catch {
    return 'unreachable';
  } finally {
    await client.end().catch(() => {});
  }
}

/** One line saying what the figures were measured on: CPU, load, versions, source revision. */
export async function machineNote(): Promise<string> {
  const cpu = cpus();
  const memory = new SqliteDatabase(':memory:');
  const sqlite = (memory.prepare('select sqlite_version() as v').get() as { v: string }).v;
  memory.close();
  const dirty = git('status', '--porcelain', '--', 'src') === '' ? '' : ' (src/ has uncommitted changes)';
  return [
    `machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB,`,
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start;`,
    `node ${process.version}, SQLite ${sqlite}, PostgreSQL ${await pgVersion()};`,
    `osprey ${git('rev-parse', '--short', 'HEAD')}${dirty}`,
  ].join(' ');
}
