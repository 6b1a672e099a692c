// Predictor overhead: Osprey's ONNX Predictor (a worker-thread pool) against onnxruntime-node's
// InferenceSession.run called in-process, on the same MLP and the same inputs, interleaved; and model
// load time (package in the blob store → first prediction). See bench/README.md, "Models".
//   node --import tsx bench/predictor.ts           (about 2 minutes)
//   node --import tsx bench/predictor.ts --quick    (smoke test; its figures mean nothing)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { createOsprey } from '../src/app/index.js';
import { createEmbeddedClient, registerModel, startRun } from '../src/client/index.js';
import { resolveConfig } from '../src/config/index.js';
import {
  createRng,
  type FetchModelDeps,
  fetchModel,
  loadPredictor,
  logModel,
  mlpToOnnx,
  type Predictor,
  writeModelPackage,
} from '../src/models/index.js';
import { fmtInt, markdownTable, median } from './support/index.js';
import { machineNote } from './support/machine.js';

const quick = process.argv.includes('--quick');
const FEATURES = 30;
const HIDDEN = 64;
const BATCHES = [1, 32, 1024];
const ROUNDS = quick ? 3 : 25;
// Calls per path per round: enough for a round to last tens of milliseconds.
const CALLS: Record<number, number> = { 1: 400, 32: 200, 1024: 12 };
const LOAD_REPS = quick ? 2 : 9;
// Same session settings on both sides: one intra-op thread (Osprey's default), all graph optimisations.
const SESSION: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionProviders: ['cpu'],
};

/** A 30 → 64 → 64 → 1 tanh MLP (regression head) with seeded weights, from the project's ONNX writer. */
function mlpModel(): Uint8Array {
  const rng = createRng(7);
  const layer = (nIn: number, nOut: number) => ({
    weights: Array.from({ length: nIn }, () =>
      Array.from({ length: nOut }, () => (rng.next() * 2 - 1) / Math.sqrt(nIn)),
    ),
    bias: Array.from({ length: nOut }, () => rng.next() * 0.1),
  });
  return mlpToOnnx({
    layers: [layer(FEATURES, HIDDEN), layer(HIDDEN, HIDDEN), layer(HIDDEN, 1)],
    activation: 'tanh',
    head: 'identity',
  });
}

type Call = () => Promise<unknown>;
interface Path {
  name: string;
  call: Call;
  /** Requests kept in flight at once (1 = one after another). */
  inFlight: number;
}

// Runs `calls` requests through a path, `inFlight` at a time; returns wall ms per request and the
// main thread's busy ms per request (event-loop utilisation: time other requests could not use).
async function measure(path: Path, calls: number) {
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  let left = calls;
  await Promise.all(
    Array.from({ length: path.inFlight }, async () => {
      while (left-- > 0) await path.call();
    }),
  );
  const ms = (performance.now() - start) / calls;
  const busy = performance.eventLoopUtilization(elu);
  return { ms, busyMs: busy.active / calls };
}

/**
 * The floor of any worker-thread design: a worker that answers each message at once (input copied
 * in, a batch-sized Float32Array back), with no model and no Osprey code.
 */
function echoWorker(batch: number) {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => { const out = new Float32Array(${batch}); parentPort.postMessage({ id: m.id, out }, [out.buffer]); });`,
    { eval: true },
  );
  const waiting = new Map<number, () => void>();
  let next = 0;
  worker.on('message', (m: { id: number }) => {
    waiting.get(m.id)?.();
    waiting.delete(m.id);
  });
  return {
    call: (data: Float32Array) =>
      new Promise<void>((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        worker.postMessage({ id, data });
      }),
    close: () => worker.terminate(),
  };
}

// Alternates the paths round by round (order flipped every round) so load bursts hit all of them.
async function interleaved(paths: Path[], batch: number) {
  const times = new Map(paths.map((p) => [p.name, [] as number[]]));
  const busy = new Map(paths.map((p) => [p.name, [] as number[]]));
  // Warm-up (not recorded): onnxruntime and V8 settle on the first calls of a new shape.
  for (const p of paths) await measure(p, 2 * CALLS[batch]!);
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of round % 2 === 0 ? paths : [...paths].reverse()) {
      const { ms, busyMs } = await measure(p, CALLS[batch]!);
      times.get(p.name)!.push(ms);
      busy.get(p.name)!.push(busyMs);
    }
  }
  return paths.map((p) => ({
    name: p.name,
    ms: median(times.get(p.name)!),
    busyMs: median(busy.get(p.name)!),
  }));
}

function inputOf(batch: number): Float32Array {
  const rng = createRng(batch);
  return Float32Array.from({ length: batch * FEATURES }, () => rng.next() * 4 - 2);
}

async function predictionTable(predictor: Predictor, session: ort.InferenceSession) {
  const rows: string[][] = [];
  for (const batch of BATCHES) {
    const data = inputOf(batch);
    const raw: Call = () => session.run({ input: new ort.Tensor('float32', data, [batch, FEATURES]) });
    const osprey: Call = () =>
      predictor.predict({ input: { datatype: 'FP32', shape: [batch, FEATURES], data } });
    // Same model, same inputs: the answers must be identical before anything is timed.
    const expected = ((await raw()) as Record<string, ort.Tensor>).variable!.data as Float32Array;
    const got = ((await osprey()) as Awaited<ReturnType<Predictor['predict']>>).variable!.data;
    if (expected.length !== batch || expected.some((v, i) => v !== got[i])) {
      throw new Error(`batch ${batch}: the Predictor and onnxruntime disagree`);
    }
    const echo = echoWorker(batch);
    const results = await interleaved(
      [
        { name: 'raw InferenceSession.run, in-process', call: raw, inFlight: 1 },
        { name: 'Osprey Predictor (1 worker)', call: osprey, inFlight: 1 },
        { name: 'Osprey Predictor (1 worker), 4 in flight', call: osprey, inFlight: 4 },
        { name: 'floor: echo worker round trip, no model', call: () => echo.call(data), inFlight: 1 },
      ],
      batch,
    ).finally(() => echo.close());
    const base = results[0]!.ms;
    for (const r of results) {
      rows.push([
        String(batch),
        r.name,
        r.ms.toFixed(r.ms < 1 ? 4 : 2),
        fmtInt((batch * 1000) / r.ms),
        r === results[0] ? '–' : `${r.ms / base >= 1 ? '+' : ''}${((r.ms / base - 1) * 100).toFixed(0)} %`,
        r.busyMs.toFixed(r.busyMs < 1 ? 4 : 2),
      ]);
    }
  }
  return markdownTable(
    ['batch', 'path', 'ms per request (median)', 'rows/s', 'vs raw', 'main-thread busy ms per request'],
    rows,
  );
}

async function loadTable(deps: FetchModelDeps, uri: string, modelPath: string) {
  const one = { input: { datatype: 'FP32' as const, shape: [1, FEATURES], data: inputOf(1) } };
  const cold: number[][] = [];
  const warm: number[][] = [];
  const raw: number[][] = [];
  const ospreyLoad = async (cacheDir: string) => {
    const t0 = performance.now();
    const fetched = await fetchModel(uri, { ...deps, cacheDir });
    const t1 = performance.now();
    const predictor = await loadPredictor(fetched.dir);
    const t2 = performance.now();
    await predictor.predict(one);
    const t3 = performance.now();
    await predictor.unload();
    return [t1 - t0, t2 - t1, t3 - t2, t3 - t0];
  };
  for (let rep = 0; rep < LOAD_REPS; rep++) {
    cold.push(await ospreyLoad(join(deps.cacheDir, `cold-${rep}`)));
    warm.push(await ospreyLoad(deps.cacheDir));
    const t0 = performance.now();
    const session = await ort.InferenceSession.create(modelPath, SESSION);
    const t1 = performance.now();
    await session.run({ input: new ort.Tensor('float32', one.input.data, [1, FEATURES]) });
    const t2 = performance.now();
    await session.release();
    raw.push([0, t1 - t0, t2 - t1, t2 - t0]);
  }
  const col = (reps: number[][], i: number) => median(reps.map((r) => r[i]!)).toFixed(1);
  const row = (name: string, reps: number[][]) => [
    name,
    col(reps, 0),
    col(reps, 1),
    col(reps, 2),
    col(reps, 3),
  ];
  return markdownTable(
    ['load path', 'fetch ms', 'load ms', 'first predict ms', 'total ms (median)'],
    [
      row(`Osprey cold: models:/…@champion from the blob store, new cache`, cold),
      row(`Osprey warm: models:/…@champion already in the cache`, warm),
      row('raw InferenceSession.create(file) + run', raw),
    ],
  );
}

async function main() {
  console.log(await machineNote());
  const home = await mkdtemp(join(tmpdir(), 'osprey-bench-predictor-'));
  const osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }));
  let predictor: Predictor | undefined;
  let session: ort.InferenceSession | undefined;
  try {
    const client = createEmbeddedClient(osprey);
    const { dir } = await writeModelPackage(join(home, 'package'), {
      flavor: 'onnx',
      files: { 'model.onnx': mlpModel() },
      signature: {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, FEATURES] }],
        outputs: [{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }],
      },
    });
    const run = await startRun(client, { experimentName: 'bench', recordSource: false, endOnExit: false });
    const logged = await logModel(client, run.runId, 'model', dir);
    await run.end();
    const version = await registerModel(client, logged.uri, 'bench-mlp');
    await client.setModelAlias('bench-mlp', 'champion', version.version);
    const uri = 'models:/bench-mlp@champion';
    const deps: FetchModelDeps = {
      cacheDir: join(home, 'cache'),
      tracking: client,
      resolveModel: (u) => client.resolveModel(u),
    };
    console.log(`\nMLP ${FEATURES} → ${HIDDEN} → ${HIDDEN} → 1 (tanh), ${ROUNDS} interleaved rounds\n`);
    predictor = await loadPredictor((await fetchModel(uri, deps)).dir);
    session = await ort.InferenceSession.create(join(dir, 'model.onnx'), SESSION);
    console.log(await predictionTable(predictor, session));
    await predictor.unload();
    await session.release();
    predictor = undefined;
    session = undefined;
    console.log(`\nLoad time, ${LOAD_REPS} repetitions\n`);
    console.log(await loadTable(deps, uri, join(dir, 'model.onnx')));
  } finally {
    await predictor?.unload();
    await session?.release();
    await osprey.close();
    await rm(home, { recursive: true, force: true });
  }
}

await main();
