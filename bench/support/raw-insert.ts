import type { Metric } from '../../src/tracking/index.js';
import { openRawPg, openRawSqlite } from './databases.js';

/** The physical limit of ingest: bare inserts of metric rows into the `metrics` table, nothing else. */
export interface RawInserter {
  /** Inserts the batches with `clients` writers at once (SQLite has one writer: it ignores `clients`). */
  insert(runIds: readonly string[], batches: readonly Metric[][], clients: number): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS = '(run_id, key, value, timestamp, step)';

/** better-sqlite3: one prepared statement, one transaction per batch (of 1000 rows). */
export function rawSqliteInserter(path: string): RawInserter {
  const db = openRawSqlite(path);
  const statement = db.prepare(`insert into metrics ${COLUMNS} values (?, ?, ?, ?, ?)`);
  const insertBatch = db.transaction((runId: string, batch: readonly Metric[]) => {
    for (const m of batch) statement.run(runId, m.key, m.value, m.timestamp, m.step);
  });
  return {
    async insert(runIds, batches) {
      for (let i = 0; i < batches.length; i++) insertBatch(runIds[i % runIds.length]!, batches[i]!);
    },
    close: async () => void db.close(),
  };
}

/** pg: one multi-row INSERT (a named prepared statement of 1000 rows) per batch, `clients` connections. */
export function rawPgInserter(url: string, maxClients: number): RawInserter {
  const pool = openRawPg(url, maxClients);
  const statements = new Map<number, string>();
  const sqlFor = (rows: number) => {
    let text = statements.get(rows);
    if (!text) {
      const tuples = Array.from({ length: rows }, (_, r) => {
        const b = r * 5;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
      });
      text = `insert into metrics ${COLUMNS} values ${tuples.join(', ')}`;
      statements.set(rows, text);
    }
    return text;
  };
  return {
    async insert(runIds, batches, clients) {
      let next = 0;
      const worker = async () => {
        const client = await pool.connect();
        try {
          for (let i = next++; i < batches.length; i = next++) {
            const batch = batches[i]!;
            const runId = runIds[i % runIds.length]!;
            const values: (string | number)[] = [];
            for (const m of batch) values.push(runId, m.key, m.value, m.timestamp, m.step);
            await client.query({ name: `raw-metrics-${batch.length}`, text: sqlFor(batch.length), values });
          }
        } finally {
          client.release();
        }
      };
      await Promise.all(Array.from({ length: Math.min(clients, maxClients) }, worker));
    },
    close: () => pool.end(),
  };
}
