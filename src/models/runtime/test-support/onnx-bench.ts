// Predict latency and throughput of the ONNX runtime (worker pool) against onnxruntime-node called
// directly on the main thread, the physical limit on one core. Run:
//   node --import tsx src/models/runtime/test-support/onnx-bench.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { logisticRegressionToOnnx } from '../../onnx/index.js';
import { writeModelPackage } from '../../package/index.js';
import { loadPredictor } from '../index.js';
import { flat, LR, mlpBytes, seededRows } from './onnx-fixtures.js';

type Call = () => Promise<unknown>;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function latency(call: Call, n: number) {
  for (let i = 0; i < Math.min(50, n); i++) await call();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function throughput(call: Call, concurrency: number, ms: number) {
  let done = 0;
  const end = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < end) {
      await call();
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return (done * 1000) / (performance.now() - t0);
}

const fmt = (v: number) => (v < 10 ? v.toFixed(3) : v.toFixed(0));

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'osprey-onnx-bench-'));
  const models = [
    { name: 'logreg 3→3', bytes: logisticRegressionToOnnx(LR), width: 3 },
    { name: 'mlp 64→256→256→10', bytes: mlpBytes(), width: 64 },
  ];
  try {
    for (const model of models) {
      const { dir } = await writeModelPackage(join(root, model.name.replace(/\W+/g, '-')), {
        flavor: 'onnx',
        files: { 'model.onnx': model.bytes },
      });
      const session = await ort.InferenceSession.create(model.bytes, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      });
      for (const batch of [1, 1000]) {
        const data = flat(seededRows(batch, model.width, 1));
        const direct: Call = () =>
          session.run({ input: new ort.Tensor('float32', data, [batch, model.width]) });
        const rows: string[] = [];
        const lat = await latency(direct, batch === 1 ? 2000 : 200);
        const tput = await throughput(direct, 8, 1500);
        rows.push(
          `direct main thread | ${fmt(lat.p50)} | ${fmt(lat.p99)} | ${fmt(tput)} | ${fmt(tput * batch)}`,
        );
        for (const workers of [1, 2]) {
          const predictor = await loadPredictor(dir, { onnx: { workers } });
          const inputs = { input: { datatype: 'FP32' as const, shape: [batch, model.width], data } };
          const call: Call = () => predictor.predict(inputs);
          const l = await latency(call, batch === 1 ? 2000 : 200);
          const t = await throughput(call, 8, 1500);
          rows.push(
            `pool, ${workers} worker(s)  | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(t)} | ${fmt(t * batch)}`,
          );
          await predictor.unload();
        }
        console.log(`\n${model.name}, batch ${batch}: path | p50 ms | p99 ms | req/s (8 in flight) | rows/s`);
        for (const r of rows) console.log(r);
      }
      await session.release();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
