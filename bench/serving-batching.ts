// Adaptive batching of a graph node over a real ONNX model under concurrent load, in-process:
// the raw predictor called directly (the baseline: no graph, no batching), the deployment with
// batching off, and with batching on at several max_batch_size / max_batch_time settings; plus the
// model's own limit (the raw predictor fed full batches by the client). The variants take turns,
// rotating the order each repetition; the median over repetitions is shown.
// Model: an MLP (64 features → 512 → 512 → 10, ReLU, softmax head) written by src/models' ONNX
// writer, one onnxruntime worker thread with 1 intra-op thread (the node defaults), float32.
// Each client sends one 1-row request at a time and sends the next as soon as it is answered.
// Usage: node --import tsx bench/serving-batching.ts [concurrency=64] [seconds=3] [reps=5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadPredictor,
  mlpToOnnx,
  type NamedTensors,
  type Predictor,
  writeModelPackage,
} from '../src/models/index.js';
import { createRng } from '../src/random/index.js';
import { type BatchingSpec, validateDeploymentSpec } from '../src/serving/deployment/index.js';
import { createNodeFactory, type Deployment, loadDeployment } from '../src/serving/graph/index.js';
import { fmtInt, fmtMs, fmtTimes, markdownTable, median, quantile } from './support/index.js';
import { machineNote } from './support/machine.js';

const concurrency = Number(process.argv[2] ?? 64);
const seconds = Number(process.argv[3] ?? 3);
const reps = Number(process.argv[4] ?? 5);
const FEATURES = 64;
const WIDTHS = [512, 512, 10];

function modelBytes(): Uint8Array {
  const rng = createRng(1);
  let nIn = FEATURES;
  const layers = WIDTHS.map((nOut) => {
    const scale = Math.sqrt(2 / nIn);
    const layer = {
      weights: Array.from({ length: nIn }, () => Array.from({ length: nOut }, () => rng.normal() * scale)),
      bias: Array.from({ length: nOut }, () => 0),
    };
    nIn = nOut;
    return layer;
  });
  return mlpToOnnx({ layers, activation: 'relu', head: 'softmax' });
}

const rows = (n: number, seed: number): NamedTensors => {
  const rng = createRng(seed);
  return {
    input: {
      datatype: 'FP32',
      shape: [n, FEATURES],
      data: Float32Array.from({ length: n * FEATURES }, () => rng.normal()),
    },
  };
};

/** One load run: `concurrency` clients for `seconds`; rows/s and per-request latencies (ms). */
async function load(call: (inputs: NamedTensors) => Promise<unknown>, rowsPerCall: number) {
  const inputs = Array.from({ length: 16 }, (_, i) => rows(rowsPerCall, i));
  const latencies: number[] = [];
  const clients = rowsPerCall === 1 ? concurrency : 1;
  const start = performance.now();
  const end = start + seconds * 1000;
  let calls = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < end; i++) {
        const t0 = performance.now();
        await call(inputs[i % inputs.length]!);
        latencies.push(performance.now() - t0);
        calls++;
      }
    }),
  );
  const elapsed = performance.now() - start;
  return {
    rowsPerS: (calls * rowsPerCall * 1000) / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  };
}

interface Variant {
  name: string;
  batching?: BatchingSpec;
  /** Rows per call from the client (only the model-limit row sends more than 1). */
  rowsPerCall?: number;
  run?: () => ReturnType<typeof load>;
  deployment?: Deployment;
}

const root = await mkdtemp(join(tmpdir(), 'osprey-bench-batching-'));
const { dir } = await writeModelPackage(join(root, 'mlp'), {
  flavor: 'onnx',
  files: { 'model.onnx': modelBytes() },
});
const predictorOptions = { onnx: { workers: 1, intraOpNumThreads: 1 } };
const raw: Predictor = await loadPredictor(dir, predictorOptions);
const factory = createNodeFactory({ fetch: { cacheDir: join(root, 'cache') }, predictor: predictorOptions });

async function deploymentFor(batching: BatchingSpec | undefined): Promise<Deployment> {
  const spec = validateDeploymentSpec({
    name: 'bench',
    graph: { name: 'mlp', type: 'model', model: dir, ...(batching ? { batching } : {}) },
  });
  return loadDeployment(spec, { factory });
}

const SETTINGS: BatchingSpec[] = [
  { maxBatchSize: 8, maxBatchTimeMs: 1 },
  { maxBatchSize: 32, maxBatchTimeMs: 2 },
  { maxBatchSize: 64, maxBatchTimeMs: 5 },
  { maxBatchSize: 64, maxBatchTimeMs: 0 },
];
const variants: Variant[] = [
  { name: 'raw predictor, direct (baseline)', run: () => load((x) => raw.predict(x), 1) },
  { name: `model limit: raw predictor, ${concurrency}-row calls`, rowsPerCall: concurrency },
  { name: 'deployment, batching off (default)' },
  ...SETTINGS.map((b) => ({
    name: `deployment, batching ${b.maxBatchSize} / ${b.maxBatchTimeMs} ms`,
    batching: b,
  })),
];
for (const v of variants) {
  if (v.rowsPerCall) v.run = () => load((x) => raw.predict(x), v.rowsPerCall!);
  else if (!v.run) {
    const deployment = await deploymentFor(v.batching);
    v.deployment = deployment;
    let id = 0;
    v.run = () => load((inputs) => deployment.infer({ id: `r${id++}`, inputs }), 1);
  }
}

console.log(await machineNote());
console.log(
  `model: MLP ${FEATURES}→${WIDTHS.join('→')} (ONNX, 1 worker, 1 intra-op thread); ${concurrency} concurrent clients, 1-row requests; ${seconds} s per run, ${reps} repetitions, median shown\n`,
);
const results = new Map(variants.map((v) => [v.name, [] as Awaited<ReturnType<typeof load>>[]]));
for (const v of variants) await v.run!(); // warm-up: JIT, ORT arenas
for (let rep = 0; rep < reps; rep++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + rep) % variants.length]!;
    results.get(v.name)!.push(await v.run!());
  }
}

const summary = (name: string) => {
  const r = results.get(name)!;
  const perRun = r.map((x) => x.rowsPerS);
  return {
    range: `${fmtInt(Math.min(...perRun))}–${fmtInt(Math.max(...perRun))}`,
    rowsPerS: median(perRun),
    p50: median(r.map((x) => x.p50)),
    p99: median(r.map((x) => x.p99)),
  };
};
const baseline = summary(variants[0]!.name).rowsPerS;
const off = summary('deployment, batching off (default)').rowsPerS;
const table = variants.map((v) => {
  const s = summary(v.name);
  const stats = v.batching ? v.deployment!.batchStats('mlp') : undefined;
  return [
    v.name,
    fmtInt(s.rowsPerS),
    s.range,
    fmtMs(s.p50),
    fmtMs(s.p99),
    stats ? (stats.rows / stats.batches).toFixed(1) : '–',
    fmtTimes(s.rowsPerS / baseline),
    v.deployment ? fmtTimes(s.rowsPerS / off) : '–',
  ];
});
console.log(
  markdownTable(
    ['path', 'rows/s', 'range', 'p50 ms', 'p99 ms', 'mean batch', '× raw direct', '× batching off'],
    table,
  ),
);
console.log(`\n(the model-limit row's latencies are per ${concurrency}-row call)`);

await Promise.all(variants.map((v) => v.deployment?.unload()));
await raw.unload();
await rm(root, { recursive: true, force: true });
