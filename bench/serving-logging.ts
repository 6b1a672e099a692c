// Overhead of payload logging and serving metrics on an in-process endpoint: a trivial async model
// (doubles a 4-float input, like one iris row) called N times bare and through the wrappers, side by side
// in the same process, the variants taking turns, median over repetitions.
// "serve" = calls/s while serving (what a client sees); "+drain" also counts the time the logger then
// needs to write everything queued, i.e. the whole cost of logging paid on the same event loop.
// The driver yields to the event loop every 100 calls (as network I/O would), so the flusher runs
// while serving rather than after it; a variant that dropped events says so.
// Usage: node --import tsx bench/serving-logging.ts [calls=100000] [reps=5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { InferenceRequest, ModelEndpoint } from '../src/serving/index.js';
import {
  createPayloadLogger,
  createPayloadLogStore,
  createStoreSink,
  type PayloadLogger,
  type PayloadSink,
  withPayloadLogging,
} from '../src/serving/logging/index.js';
import { withMetrics } from '../src/serving/metrics/index.js';
import { openDatabase } from '../src/store/db/index.js';
import { fmtInt, markdownTable, median } from './support/index.js';
import { machineNote } from './support/machine.js';

const calls = Number(process.argv[2] ?? 100_000);
const reps = Number(process.argv[3] ?? 5);

function trivialModel(): ModelEndpoint {
  return {
    name: 'iris',
    version: '1',
    platform: 'js',
    signature: { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }], outputs: [] },
    ready: () => true,
    async infer(request) {
      const x = request.inputs.x!;
      const y = Float32Array.from(x.data as Float32Array, (v) => v * 2);
      return { id: request.id, modelName: 'iris', modelVersion: '1', outputs: { y: { ...x, data: y } } };
    },
  };
}

const nullSink: PayloadSink = { uri: 'null:', write: async () => {}, close: async () => {} };

interface Variant {
  name: string;
  /** Builds the endpoint (and the logger behind it, if any) for one repetition. */
  setup(): Promise<{ endpoint: ModelEndpoint; logger?: PayloadLogger; done?: () => Promise<void> }>;
}

const dir = await mkdtemp(join(tmpdir(), 'osprey-bench-logging-'));
let dbCount = 0;

function logged(
  sinkFor: () => Promise<{ sink: PayloadSink; done?: () => Promise<void> }>,
  metrics: boolean,
  sampleRate = 1,
) {
  return async () => {
    const { sink, done } = await sinkFor();
    const logger = createPayloadLogger({ sink, capacity: 10_000 });
    let endpoint = withPayloadLogging(trivialModel(), logger, { deployment: 'bench', sampleRate });
    if (metrics) endpoint = withMetrics(endpoint, new Registry(), { deployment: 'bench' });
    return done ? { endpoint, logger, done } : { endpoint, logger };
  };
}

const nullSinkFor = async () => ({ sink: nullSink });
const sqliteSinkFor = async () => {
  const database = await openDatabase(`sqlite:${join(dir, `payloads-${dbCount++}.db`)}`);
  return { sink: createStoreSink(createPayloadLogStore(database)), done: () => database.close() };
};

const VARIANTS: Variant[] = [
  { name: 'bare endpoint', setup: async () => ({ endpoint: trivialModel() }) },
  {
    name: 'withMetrics',
    setup: async () => ({ endpoint: withMetrics(trivialModel(), new Registry(), { deployment: 'bench' }) }),
  },
  { name: 'withPayloadLogging (null sink)', setup: logged(nullSinkFor, false) },
  { name: 'logging + metrics (null sink)', setup: logged(nullSinkFor, true) },
  { name: 'logging 10% sampled + metrics (null sink)', setup: logged(nullSinkFor, true, 0.1) },
  { name: 'logging + metrics (SQLite store: sink)', setup: logged(sqliteSinkFor, true) },
];

function request(i: number): InferenceRequest {
  return {
    id: `r${i}`,
    inputs: { x: { datatype: 'FP32', shape: [1, 4], data: Float32Array.of(5.1, 3.5, 1.4, 0.2) } },
  };
}

async function runOnce(variant: Variant) {
  const { endpoint, logger, done } = await variant.setup();
  const requests = Array.from({ length: calls }, (_, i) => request(i));
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    await endpoint.infer(requests[i]!);
    if (i % 100 === 99) await yieldToLoop();
  }
  const served = performance.now() - start;
  await logger?.flush();
  const drained = performance.now() - start;
  const stats = logger?.stats();
  await logger?.close();
  await done?.();
  return { served, drained, dropped: stats?.dropped ?? 0, written: stats?.written ?? 0 };
}

console.log(await machineNote());
console.log(`${fmtInt(calls)} sequential calls per repetition, ${reps} repetitions, median shown\n`);
const results = new Map<
  string,
  { served: number[]; drained: number[]; dropped: number[]; written: number[] }
>();
for (const v of VARIANTS) results.set(v.name, { served: [], drained: [], dropped: [], written: [] });
await runOnce(VARIANTS[3]!); // warm-up: JIT and module loading
for (let rep = 0; rep < reps; rep++) {
  // Take turns, rotating the order, so a burst of load from another process does not land on one variant.
  for (let k = 0; k < VARIANTS.length; k++) {
    const v = VARIANTS[(k + rep) % VARIANTS.length]!;
    const r = await runOnce(v);
    const acc = results.get(v.name)!;
    acc.served.push(r.served);
    acc.drained.push(r.drained);
    acc.dropped.push(r.dropped);
    acc.written.push(r.written);
  }
}
await rm(dir, { recursive: true, force: true });

const bare = median(results.get('bare endpoint')!.served);
const rows = VARIANTS.map((v) => {
  const r = results.get(v.name)!;
  const served = median(r.served);
  const drained = median(r.drained);
  return [
    v.name,
    fmtInt((calls / served) * 1000),
    fmtInt((calls / drained) * 1000),
    (((served - bare) / calls) * 1000).toFixed(2),
    (((drained - bare) / calls) * 1000).toFixed(2),
    fmtInt(median(r.written)),
    fmtInt(Math.max(...r.dropped)),
  ];
});
console.log(
  markdownTable(
    [
      'variant',
      'calls/s serve',
      'calls/s +drain',
      'µs/call added (serve)',
      'µs/call added (+drain)',
      'events written',
      'max dropped',
    ],
    rows,
  ),
);
