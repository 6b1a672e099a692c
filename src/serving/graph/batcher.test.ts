// Adaptive batching of a model node (MLServer / Triton rules): off by default, batches closed by size
// or time, answers split back to their requests, and one request's failure kept to itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { OspreyError } from '../../errors/index.js';
import type { NamedTensors } from '../../models/index.js';
import { createBatcher } from './batcher.js';
import { deploy, fp64, hangingModel, mapModel, request, values } from './test-support/fake-nodes.js';

const batched = (batching?: { maxBatchSize: number; maxBatchTimeMs: number }) => ({
  name: 'batched',
  graph: { name: 'm', type: 'model', model: 'fake:m', ...(batching ? { batching } : {}) },
});

/** Rows of x as [[x, x+0.5], …] in a [n, 2] tensor, so splitting must keep the inner dimension. */
const wide = (id: string, xs: number[]) => ({
  id,
  inputs: {
    x: fp64(
      xs.flatMap((x) => [x, x + 0.5]),
      [xs.length, 2],
    ),
  },
});

describe('adaptive batching', () => {
  it('is off by default: each request runs alone', async () => {
    const m = mapModel((v) => 2 * v);
    const deployment = await deploy(batched(), { m });
    await Promise.all([1, 2, 3].map((x) => deployment.infer(request(`q${x}`, [x]))));
    assert.deepEqual(m.rows, [1, 1, 1]);
    assert.throws(() => deployment.batchStats('m'), /does not batch/);
  });

  it('closes a batch at max_batch_size and splits every answer back to its request', async () => {
    const m = mapModel((v) => 2 * v);
    const deployment = await deploy(batched({ maxBatchSize: 4, maxBatchTimeMs: 60_000 }), { m });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => deployment.infer(wide(`q${i}`, [i]))),
    );
    // A batch is only full at 4 rows: the long max_batch_time never fires.
    assert.deepEqual(m.rows, [4, 4]);
    responses.forEach((r, i) => {
      assert.equal(r.id, `q${i}`);
      assert.deepEqual(r.outputs.y!.shape, [1, 2]);
      assert.deepEqual(values(r, 'y'), [2 * i, 2 * i + 1]);
    });
    assert.deepEqual(deployment.batchStats('m'), { requests: 8, batches: 2, rows: 8 });
  });

  it('sends a partial batch at max_batch_time, and requests of several rows keep their own rows', async () => {
    const m = mapModel((v) => v + 1);
    const deployment = await deploy(batched({ maxBatchSize: 100, maxBatchTimeMs: 5 }), { m });
    const [a, b, c] = await Promise.all([
      deployment.infer(wide('a', [1, 2])),
      deployment.infer(wide('b', [3])),
      deployment.infer(wide('c', [4, 5, 6])),
    ]);
    assert.deepEqual(m.rows, [6]);
    assert.deepEqual(values(a!, 'y'), [2, 2.5, 3, 3.5]);
    assert.deepEqual(values(b!, 'y'), [4, 4.5]);
    assert.deepEqual(values(c!, 'y'), [5, 5.5, 6, 6.5, 7, 7.5]);
    assert.deepEqual(c!.outputs.y!.shape, [3, 2]);
  });

  it('never mixes requests whose inner shapes differ, and runs a request as big as a batch alone', async () => {
    const m = mapModel((v) => v);
    const deployment = await deploy(batched({ maxBatchSize: 3, maxBatchTimeMs: 5 }), { m });
    const [narrow, wider, big] = await Promise.all([
      deployment.infer(request('narrow', [1])),
      deployment.infer(wide('wide', [2])),
      deployment.infer(wide('big', [3, 4, 5])),
    ]);
    assert.deepEqual(values(narrow!, 'y'), [1]);
    assert.deepEqual(values(wider!, 'y'), [2, 2.5]);
    assert.deepEqual(big!.outputs.y!.shape, [3, 2]);
    assert.deepEqual([...m.rows].sort(), [1, 1, 3]);
  });

  it('isolates per-request errors: a bad request fails alone and its batch-mates get their answers', async () => {
    const m = mapModel((v) => {
      if (v < 0) throw new OspreyError('INVALID_ARGUMENT', `negative amount ${v}`);
      return 10 * v;
    });
    const deployment = await deploy(batched({ maxBatchSize: 3, maxBatchTimeMs: 60_000 }), { m });
    const results = await Promise.allSettled([
      deployment.infer(request('ok1', [1])),
      deployment.infer(request('bad', [-7])),
      deployment.infer(request('ok2', [2])),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const error = (results[1] as PromiseRejectedResult).reason;
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.match(error.message, /node 'm' \(predict\) failed: negative amount -7/);
    assert.deepEqual(values((results[0] as PromiseFulfilledResult<never>).value, 'y'), [10]);
    assert.deepEqual(values((results[2] as PromiseFulfilledResult<never>).value, 'y'), [20]);
    // The batch of 3 failed, then each request ran alone.
    assert.deepEqual(m.rows, [3, 1, 1, 1]);
    // A malformed request is refused before it can join a batch.
    await rejectsWith(deployment.infer({ id: 'q', inputs: { x: fp64([1, 2], [3]) } }), 'INVALID_ARGUMENT');
  });

  it('a request that times out while queued leaves its batch with a clear error', async () => {
    const m = mapModel((v) => v);
    const deployment = await deploy(
      { ...batched({ maxBatchSize: 10, maxBatchTimeMs: 60_000 }), timeoutMs: 20 },
      { m },
    );
    await rejectsWith(
      deployment.infer(request('lonely', [1])),
      'DEADLINE_EXCEEDED',
      /request 'lonely' exceeded its 20 ms deadline/,
    );
    assert.deepEqual(m.rows, []);
    assert.deepEqual(deployment.batchStats('m'), { requests: 1, batches: 0, rows: 0 });
  });

  it('a model whose outputs are not per row fails the batch with advice to turn batching off', async () => {
    const batcher = createBatcher(async (): Promise<NamedTensors> => ({ total: fp64([1]) }), {
      maxBatchSize: 2,
      maxBatchTimeMs: 60_000,
    });
    const inputs = { x: fp64([1], [1]) };
    const results = await Promise.allSettled([batcher.predict(inputs), batcher.predict(inputs)]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.match(String((r as PromiseRejectedResult).reason), /not the batch's 2 rows.*turn batching off/);
    }
  });

  it('a model that hangs is cut off by the request deadline, and the batcher keeps serving', async () => {
    let hang = true;
    const hanging = hangingModel();
    const m = mapModel((v) => v);
    const deployment = await deploy(
      { ...batched({ maxBatchSize: 2, maxBatchTimeMs: 60_000 }), timeoutMs: 250 },
      { m: { predict: (inputs, context) => (hang ? hanging.predict(inputs, context) : m.predict(inputs)) } },
    );
    const first = await Promise.allSettled([
      deployment.infer(request('a', [1])),
      deployment.infer(request('b', [2])),
    ]);
    assert.ok(first.every((r) => r.status === 'rejected' && r.reason.code === 'DEADLINE_EXCEEDED'));
    hang = false;
    const again = await Promise.all([
      deployment.infer(request('c', [3])),
      deployment.infer(request('d', [4])),
    ]);
    assert.deepEqual(
      again.map((r) => values(r, 'y')[0]),
      [3, 4],
    );
  });
});
