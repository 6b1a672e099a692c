import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { createWorkerPool } from './worker-pool.js';

const url = new URL('./test-support/echo-worker.ts', import.meta.url);
const code =
  (c: string, pattern = /./) =>
  (e: unknown) =>
    e instanceof OspreyError && e.code === c && pattern.test(e.message);

describe('worker pool', () => {
  it('spreads jobs over its workers, revives coded errors, and replaces a crashed worker', async () => {
    const pool = createWorkerPool({ url, size: 2, workerData: {} });
    const ready = (await pool.start()) as { threadId: number }[];
    assert.deepEqual(new Set(pool.threadIds), new Set(ready.map((r) => r.threadId)));
    try {
      const results = (await Promise.all(Array.from({ length: 6 }, (_, i) => pool.run({ i, wait: 20 })))) as {
        payload: { i: number };
        threadId: number;
      }[];
      assert.deepEqual(
        results.map((r) => r.payload.i),
        [0, 1, 2, 3, 4, 5],
      );
      assert.equal(new Set(results.map((r) => r.threadId)).size, 2, 'both workers took jobs');
      await assert.rejects(pool.run({ fail: 'bad tensor' }), code('INVALID_ARGUMENT', /bad tensor/));

      const before = pool.threadIds;
      await assert.rejects(pool.run({ crash: true }), code('UNAVAILABLE', /worker exited/));
      // A new worker boots in tens of milliseconds, or seconds on a loaded machine.
      const deadline = Date.now() + 30_000;
      while (pool.threadIds.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(pool.threadIds.length, 2, 'the crashed worker was replaced');
      assert.notDeepEqual(new Set(pool.threadIds), new Set(before));
      assert.deepEqual(((await pool.run({ i: 7 })) as { payload: unknown }).payload, { i: 7 });
    } finally {
      await pool.close();
    }
    assert.deepEqual(pool.threadIds, []);
    await assert.rejects(pool.run({ i: 8 }), code('UNAVAILABLE', /unloaded/));
  });

  it('fails start() with the error a worker reports while starting', async () => {
    const pool = createWorkerPool({ url, size: 1, workerData: { failInit: true } });
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    const baseline = ports();
    await assert.rejects(pool.start(), code('NOT_FOUND', /no model here/));
    assert.deepEqual(pool.threadIds, []);
    // The failed worker has exited by the time start() rejects: nothing is left running.
    assert.equal(ports(), baseline);
  });
});
