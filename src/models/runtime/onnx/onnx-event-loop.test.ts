import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { writeModelPackage } from '../../package/index.js';
import { loadPredictor } from '../index.js';
import { flat, mlpBytes, seededRows } from '../test-support/onnx-fixtures.js';

describe('ONNX runtime and the event loop', () => {
  // Largest gap between ticks of a 5 ms interval while `work` runs, and how long it ran.
  async function watch(work: () => Promise<unknown>) {
    let last = performance.now();
    let maxGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const start = performance.now();
    last = start;
    await work();
    const duration = performance.now() - start;
    clearInterval(timer);
    return { maxGap: Math.max(maxGap, performance.now() - last), ticks, duration };
  }

  it('keeps timers firing during a big batch, where onnxruntime on the main thread blocks them', async () => {
    const root = await mkdtemp(join(tmpdir(), 'osprey-onnx-loop-'));
    const bytes = mlpBytes();
    const n = 12_000;
    const data = flat(seededRows(n, 64, 9));
    const { dir } = await writeModelPackage(join(root, 'mlp'), {
      flavor: 'onnx',
      files: { 'model.onnx': bytes },
    });
    const predictor = await loadPredictor(dir);
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    try {
      const inputs = { input: { datatype: 'FP32' as const, shape: [n, 64], data } };
      await predictor.predict(inputs); // warm-up
      const pooled = await watch(() => predictor.predict(inputs));
      const direct = await watch(() => session.run({ input: new ort.Tensor('float32', data, [n, 64]) }));
      // Main thread: the timer cannot fire until run() returns, so one gap spans the whole inference.
      assert.ok(direct.maxGap >= 0.8 * direct.duration, `direct: ${JSON.stringify(direct)}`);
      // Worker: the timer keeps firing while the worker computes.
      assert.ok(pooled.ticks >= 5, `pooled: ${JSON.stringify(pooled)}`);
      assert.ok(pooled.maxGap < 0.5 * pooled.duration, `pooled: ${JSON.stringify(pooled)}`);
    } finally {
      await session.release();
      await predictor.unload();
      await rm(root, { recursive: true, force: true });
    }
  });
});
