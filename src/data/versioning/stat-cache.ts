import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** What identifies one state of a file without reading it. */
export interface StatKey {
  /** POSIX path relative to the project root. */
  path: string;
  ino: bigint;
  size: number;
  mtimeNs: bigint;
}

/** A file state and the digest of the bytes read in that state. */
export interface StatRecord extends StatKey {
  digest: string;
  /** Wall-clock time (ns since the epoch) just before the bytes were read. */
  hashedAtNs: bigint;
}

/**
 * Remembers file digests by (path, inode, size, mtime in ns) so that `status` and `add` read
 * only files whose metadata changed. Reads are whole-prefix range scans, writes one
 * transaction per operation (per-file commits were what made DVC's SQLite state slow, dvc#5842).
 */
export interface StatCache {
  /** The records of `prefix` itself and every path below it (`''` = all), by path. */
  load(prefix: string): Map<string, StatRecord>;
  /** Inserts or replaces records, in one transaction. */
  record(records: readonly StatRecord[]): void;
  /** Drops the records of these paths. */
  forget(paths: readonly string[]): void;
  close(): void;
}

const SCHEMA_VERSION = 1;
const COARSE_MARGIN_NS = 2_000_000_000n;
const FINE_MARGIN_NS = 20_000_000n;

/**
 * The recorded digest if the file is provably in the state that was read, else undefined.
 * A file modified again within the same timestamp tick as its hashed version keeps its mtime
 * (git's "racy clean" problem), so a record counts only if the read started at least one tick
 * after the mtime. A tick is up to 2 s on filesystems with whole-second times (FAT, HFS+, ext3),
 * and one scheduler tick (≤ 10 ms) where the kernel stamps coarse-clock nanoseconds.
 */
export function trustedDigest(record: StatRecord | undefined, key: StatKey): string | undefined {
  if (record === undefined) return undefined;
  if (record.ino !== key.ino || record.size !== key.size || record.mtimeNs !== key.mtimeNs) return undefined;
  const margin = key.mtimeNs % 1_000_000_000n === 0n ? COARSE_MARGIN_NS : FINE_MARGIN_NS;
  return key.mtimeNs + margin <= record.hashedAtNs ? record.digest : undefined;
}

interface Row {
  path: string;
  ino: bigint;
  size: bigint;
  mtime_ns: bigint;
  digest: string;
  hashed_at_ns: bigint;
}

/**
 * Opens (creating) the stat cache in an SQLite file. SQLite rather than a JSON file: lookups are
 * range scans of an index instead of parsing the whole cache, an operation writes only the rows
 * it changed instead of rewriting every entry, and concurrent processes are safe (WAL).
 */
export function openStatCache(file: string): StatCache {
  mkdirSync(dirname(file), { recursive: true });
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  // A cache: an unknown layout is rebuilt rather than migrated.
  if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) {
    db.exec('DROP TABLE IF EXISTS stat_cache');
    db.exec(`CREATE TABLE stat_cache (
      path TEXT PRIMARY KEY, ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
      digest TEXT NOT NULL, hashed_at_ns INTEGER NOT NULL) WITHOUT ROWID`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }
  const selectAll = db.prepare('SELECT * FROM stat_cache').safeIntegers(true);
  // '/' is 0x2F and '0' is 0x30: [prefix/, prefix0) is exactly the paths below prefix (BINARY collation).
  const selectPrefix = db
    .prepare('SELECT * FROM stat_cache WHERE path = ? OR (path >= ? AND path < ?)')
    .safeIntegers(true);
  const upsert = db.prepare(
    'INSERT OR REPLACE INTO stat_cache (path, ino, size, mtime_ns, digest, hashed_at_ns) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM stat_cache WHERE path = ?');
  const recordAll = db.transaction((records: readonly StatRecord[]) => {
    for (const r of records) upsert.run(r.path, r.ino, r.size, r.mtimeNs, r.digest, r.hashedAtNs);
  });
  const forgetAll = db.transaction((paths: readonly string[]) => {
    for (const path of paths) remove.run(path);
  });

  return {
    load(prefix) {
      const rows = (
        prefix === '' ? selectAll.all() : selectPrefix.all(prefix, `${prefix}/`, `${prefix}0`)
      ) as Row[];
      const map = new Map<string, StatRecord>();
      for (const row of rows) {
        map.set(row.path, {
          path: row.path,
          ino: row.ino,
          size: Number(row.size),
          mtimeNs: row.mtime_ns,
          digest: row.digest,
          hashedAtNs: row.hashed_at_ns,
        });
      }
      return map;
    },
    record(records) {
      if (records.length > 0) recordAll(records);
    },
    forget(paths) {
      if (paths.length > 0) forgetAll(paths);
    },
    close() {
      db.close();
    },
  };
}
