import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Osprey } from '../../src/app/index.js';
import type { Metric } from '../../src/tracking/index.js';
import { cachedPath, openRawSqlite } from './databases.js';
import { seededRandom } from './metric-points.js';
import { openOsprey } from './osprey.js';

/** Bump when the generated history changes. */
const GENERATOR_VERSION = 1;
export const HISTORY_KEY = 'loss';
const T0 = 1_700_000_000_000;

/** A training loss: a decaying curve with noise and rare spikes, at steps 0 … points-1, in batches of 1000. */
function* lossBatches(points: number): Generator<Metric[]> {
  const random = seededRandom(11);
  for (let first = 0; first < points; first += 1000) {
    const batch: Metric[] = [];
    for (let step = first; step < Math.min(points, first + 1000); step++) {
      const spike = random() < 0.0005 ? 5 * random() : 0;
      const value = 2 / (1 + step / 20_000) + 0.05 * (random() - 0.5) + spike;
      batch.push({ key: HISTORY_KEY, value, timestamp: T0 + step, step });
    }
    yield batch;
  }
}

/**
 * Writes the history through Osprey's own logging service (not raw inserts), so whatever Osprey derives
 * on write (latest value, rollups) exists as it would for a real run. `writers` batches go at once.
 */
export async function logHistory(osprey: Osprey, points: number, writers: number): Promise<string> {
  const run = await osprey.tracking.runs.create({ experimentId: '0', runName: 'bench-history' });
  const runId = run.info.runId;
  const batches = lossBatches(points);
  const worker = async () => {
    for (let next = batches.next(); !next.done; next = batches.next())
      await osprey.tracking.logger.logBatch(runId, { metrics: next.value });
  };
  await Promise.all(Array.from({ length: writers }, worker));
  return runId;
}

/** Hash of the code that shapes what is stored on write: a change rebuilds the cached database. */
function writePathHash(srcDir: string): string {
  const hash = createHash('sha256').update(String(GENERATOR_VERSION));
  for (const dir of ['store/db', 'tracking']) {
    for (const file of readdirSync(join(srcDir, dir)).sort()) {
      if (file.endsWith('.ts') && !file.endsWith('.test.ts'))
        hash.update(readFileSync(join(srcDir, dir, file)));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** The SQLite history database, logged once through Osprey into bench/out and reused while the write path is unchanged. */
export async function cachedSqliteHistory(
  points: number,
  srcDir: string,
): Promise<{ path: string; runId: string }> {
  const prefix = `metric-history-${points}-`;
  const path = cachedPath(prefix, writePathHash(srcDir));
  if (!existsSync(path)) {
    const building = `${path}.building`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
    const osprey = await openOsprey(`sqlite:${building}`);
    try {
      await logHistory(osprey, points, 1);
    } finally {
      await osprey.close();
    }
    const db = openRawSqlite(building);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    renameSync(building, path);
    for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  }
  const db = openRawSqlite(path);
  try {
    const row = db.prepare("select run_id from runs where run_name = 'bench-history'").get() as {
      run_id: string;
    };
    return { path, runId: row.run_id };
  } finally {
    db.close();
  }
}
