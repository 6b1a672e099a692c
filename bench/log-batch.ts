// Ingest throughput: metric points per second through Osprey's HTTP APIs, SDK and service, each beside a
// raw bulk insert of the same rows into the same `metrics` table of the same database, in the same run.
import autocannon from 'autocannon';
import type { Osprey } from '../src/app/index.js';
import {
  createEmbeddedClient,
  createHttpClient,
  startRun,
  type TrackingClient,
} from '../src/client/index.js';
import type { Metric } from '../src/tracking/index.js';
import {
  createScratchPg,
  fmtInt,
  fmtPct,
  markdownTable,
  median,
  msSince,
  openOsprey,
  pgAvailable,
  scratchSqlite,
  startServerProcess,
} from './support/index.js';
import { BATCH_SIZE, metricBatch, seededRandom } from './support/metric-points.js';
import { type RawInserter, rawPgInserter, rawSqliteInserter } from './support/raw-insert.js';

export interface LogBatchOptions {
  /** Repetitions of every path (medians are reported). */
  reps: number;
  /** Batches of 1000 points each path writes per repetition. */
  batches: number;
  /** Concurrent HTTP clients (autocannon connections). */
  clients: number;
  /** Directory for a --cpu-prof of the server process, if wanted. */
  cpuProfDir?: string | undefined;
}

interface Setup {
  osprey: Osprey;
  serverUrl: string;
  raw: RawInserter;
  /** Writers a raw insert can really run at once (SQLite: one). */
  rawClients: (clients: number) => number;
}

interface IngestPath {
  name: string;
  clients: number;
  /** Writes `batches` into fresh runs and returns the elapsed milliseconds. */
  run(batches: Metric[][], runIds: string[]): Promise<number>;
}

function batchesFor(count: number, clients: number, seed: number): Metric[][] {
  const random = seededRandom(seed);
  // Batch i goes to run i % clients; each run gets consecutive steps.
  return Array.from({ length: count }, (_, i) => metricBatch(Math.floor(i / clients) * 100, random));
}

async function loadHttp(
  url: string,
  clients: number,
  requestFor: (i: number) => { path: string; body: string },
  count: number,
) {
  let next = 0;
  const start = process.hrtime.bigint();
  const result = await autocannon({
    url,
    connections: clients,
    amount: count,
    // autocannon only notices it is done on its sampling tick (1 s by default): tick often, or the
    // elapsed time is rounded up to whole seconds.
    sampleInt: 5,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, ...requestFor(next++ % count) }) }],
  });
  const ms = msSince(start);
  if (result.non2xx > 0 || result.errors > 0 || result['2xx'] !== count)
    throw new Error(
      `HTTP load failed: ${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors`,
    );
  return ms;
}

async function sdkLog(client: TrackingClient, batches: Metric[][]): Promise<number> {
  const start = process.hrtime.bigint();
  const run = await startRun(client, { recordSource: false, endOnExit: false });
  for (const batch of batches) {
    for (const m of batch) run.logMetric(m.key, m.value, { step: m.step, timestamp: m.timestamp });
    // A training loop yields between steps; the SDK sends in the background meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await run.end();
  return msSince(start);
}

function ingestPaths({ osprey, serverUrl, raw, rawClients }: Setup, clients: number): IngestPath[] {
  const http = createHttpClient(serverUrl);
  const embedded = createEmbeddedClient(osprey);
  const nativeBodies = new WeakMap<Metric[], string>();
  const nativeBody = (batch: Metric[]) => {
    let body = nativeBodies.get(batch);
    if (!body) {
      body = JSON.stringify({ metrics: batch });
      nativeBodies.set(batch, body);
    }
    return body;
  };
  const parallelRaw: IngestPath[] =
    rawClients(clients) > 1
      ? [
          {
            name: 'raw insert (limit)',
            clients,
            run: async (batches, runIds) => {
              const start = process.hrtime.bigint();
              await raw.insert(runIds, batches, clients);
              return msSince(start);
            },
          },
        ]
      : [];
  return [
    ...parallelRaw,
    {
      name: 'raw insert (limit)',
      clients: 1,
      run: async (batches, runIds) => {
        const start = process.hrtime.bigint();
        await raw.insert(runIds.slice(0, 1), batches, 1);
        return msSince(start);
      },
    },
    {
      name: 'HTTP native POST /api/v1/runs/:id/batch',
      clients,
      run: (batches, runIds) =>
        loadHttp(
          serverUrl,
          clients,
          (i) => ({ path: `/api/v1/runs/${runIds[i % clients]}/batch`, body: nativeBody(batches[i]!) }),
          batches.length,
        ),
    },
    {
      name: 'HTTP MLflow POST /api/2.0/mlflow/runs/log-batch',
      clients,
      run: (batches, runIds) => {
        const bodies = batches.map((metrics, i) => JSON.stringify({ run_id: runIds[i % clients], metrics }));
        return loadHttp(
          serverUrl,
          clients,
          (i) => ({ path: '/api/2.0/mlflow/runs/log-batch', body: bodies[i]! }),
          batches.length,
        );
      },
    },
    {
      name: 'service logger.logBatch (in-process)',
      clients: 1,
      run: async (batches, runIds) => {
        const start = process.hrtime.bigint();
        for (const batch of batches) await osprey.tracking.logger.logBatch(runIds[0]!, { metrics: batch });
        return msSince(start);
      },
    },
    { name: 'SDK startRun+logMetric, embedded', clients: 1, run: (batches) => sdkLog(embedded, batches) },
    { name: 'SDK startRun+logMetric, HTTP client', clients: 1, run: (batches) => sdkLog(http, batches) },
  ];
}

/** Runs every path `reps` times, interleaved, and returns the median points/s per (path, clients). */
async function measure(setup: Setup, options: LogBatchOptions): Promise<Map<string, number[]>> {
  const paths = ingestPaths(setup, options.clients);
  const rates = new Map<string, number[]>();
  const data = new Map<number, Metric[][]>();
  // Rep -1 warms the JIT, the connection pools and the server on a few batches; it is not recorded.
  for (let rep = -1; rep < options.reps; rep++) {
    // Rotate the order so no path always runs right after another's WAL checkpoint or vacuum.
    for (let p = 0; p < paths.length; p++) {
      const path = paths[(p + Math.max(rep, 0)) % paths.length]!;
      let batches = data.get(path.clients);
      if (!batches) {
        batches = batchesFor(options.batches, path.clients, 42);
        data.set(path.clients, batches);
      }
      if (rep < 0) batches = batches.slice(0, 2 * path.clients);
      const runIds: string[] = [];
      for (let c = 0; c < path.clients; c++)
        runIds.push((await setup.osprey.tracking.runs.create({ experimentId: '0' })).info.runId);
      const ms = await path.run(batches, runIds);
      if (rep < 0) continue;
      const id = `${path.name}\u0000${path.clients}`;
      rates.set(id, [...(rates.get(id) ?? []), (batches.length * BATCH_SIZE * 1000) / ms]);
    }
  }
  return rates;
}

function tableRows(database: string, rates: Map<string, number[]>): string[][] {
  const med = new Map([...rates].map(([id, list]) => [id, median(list)]));
  const rawFor = (clients: number) =>
    med.get(`raw insert (limit)\u0000${clients}`) ?? med.get(`raw insert (limit)\u00001`)!;
  return [...med].map(([id, rate]) => {
    const [name, clientsText] = id.split('\u0000') as [string, string];
    const clients = Number(clientsText);
    const isRaw = name.startsWith('raw');
    const list = rates.get(id)!;
    return [
      database,
      name,
      String(clients),
      fmtInt(rate),
      `${fmtInt(Math.min(...list))}–${fmtInt(Math.max(...list))}`,
      isRaw ? '–' : fmtInt(rawFor(clients)),
      isRaw ? '–' : fmtPct(rate / rawFor(clients)),
    ];
  });
}

async function onSqlite(options: LogBatchOptions): Promise<string[][]> {
  const file = scratchSqlite('log-batch');
  const osprey = await openOsprey(file.url);
  const server = await startServerProcess(file.url, { cpuProfDir: options.cpuProfDir });
  const raw = rawSqliteInserter(file.path);
  try {
    return tableRows(
      'SQLite',
      await measure({ osprey, serverUrl: server.url, raw, rawClients: () => 1 }, options),
    );
  } finally {
    await server.stop();
    await raw.close();
    await osprey.close();
    file.remove();
  }
}

async function onPostgres(options: LogBatchOptions): Promise<string[][]> {
  const scratch = await createScratchPg('log_batch');
  try {
    const osprey = await openOsprey(scratch.url);
    const server = await startServerProcess(scratch.url, { cpuProfDir: options.cpuProfDir });
    const raw = rawPgInserter(scratch.url, options.clients);
    try {
      const setup = { osprey, serverUrl: server.url, raw, rawClients: (c: number) => c };
      return tableRows('PostgreSQL', await measure(setup, options));
    } finally {
      await server.stop();
      await raw.close();
      await osprey.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** Runs the ingest benchmark on SQLite and (when reachable) PostgreSQL and returns a markdown report. */
export async function logBatchBench(options: LogBatchOptions): Promise<string> {
  const rows = await onSqlite(options);
  const pg = (await pgAvailable()) ? await onPostgres(options) : [];
  const headers = ['database', 'path', 'clients', 'points/s (median)', 'range', 'raw points/s', 'osprey/raw'];
  const note = pg.length === 0 ? '\n\nPostgreSQL was not reachable: its rows are missing.' : '';
  return (
    `### log-batch: ${options.batches} batches × ${BATCH_SIZE} points per path, ${options.reps} repetitions\n\n` +
    markdownTable(headers, [...rows, ...pg]) +
    note
  );
}
