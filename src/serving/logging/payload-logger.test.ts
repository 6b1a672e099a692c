import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../../test/support/until.js';
import { BoundedQueue } from './bounded-queue.js';
import { createPayloadLogger } from './index.js';
import { doublingRequest, memorySink, stalledSink } from './test-support/endpoints.js';

const LABELS = { deployment: 'fraud', node: 'scorer', model: 'doubler', version: '3' };

describe('BoundedQueue', () => {
  it('keeps FIFO order across the wrap-around and refuses items when full', () => {
    const q = new BoundedQueue<number>(3);
    assert.deepEqual([q.push(1), q.push(2), q.push(3), q.push(4)], [true, true, true, false]);
    assert.deepEqual(q.take(2), [1, 2]);
    assert.deepEqual([q.push(5), q.push(6), q.push(7)], [true, true, false]);
    assert.deepEqual(q.take(10), [3, 5, 6]);
    assert.deepEqual([q.size, q.accepted, q.dropped], [0, 5, 2]);
    assert.throws(() => new BoundedQueue(0), { code: 'INVALID_ARGUMENT' });
  });
});

describe('payload logger', () => {
  it('never blocks: 1e6 events into 1,000 slots with a stalled sink return at once, drops counted exactly', async () => {
    const sink = stalledSink();
    const logger = createPayloadLogger({ sink, capacity: 1000, batchSize: 100, flushIntervalMs: 0 });
    const channel = logger.channel(LABELS);
    const request = doublingRequest('r1');
    let accepted = 0;
    for (let i = 0; i < 1_000_000; i++) {
      if (channel.log({ kind: 'request', time: i, request })) accepted++;
    }
    assert.equal(accepted, 1000);
    let stats = logger.stats();
    assert.deepEqual([stats.logged, stats.dropped, stats.queued], [1000, 999_000, 1000]);
    assert.deepEqual(
      stats.channels.map((c) => [c.logged, c.dropped, c.queued]),
      [[1000, 999_000, 1000]],
    );
    // log() is synchronous (it returns a boolean, not a promise), so no call can wait for the sink;
    // the time a million calls take is measured in bench/serving-logging.ts, not asserted here.

    // The flusher takes one batch and hangs on the sink; the queue keeps refusing, it never grows.
    await until(() => sink.writes === 1, 'the flusher to take one batch');
    stats = logger.stats();
    assert.deepEqual([stats.queued, stats.inFlight], [900, 100]);
    for (let i = 0; i < 1000; i++) channel.log({ kind: 'request', time: i, request });
    stats = logger.stats();
    assert.deepEqual([stats.logged, stats.dropped, stats.queued, stats.inFlight], [1100, 999_900, 1000, 100]);
    assert.equal(sink.writes, 1);

    // close() keeps its deadline even though the sink never answers, and counts what it could not write.
    const closing = performance.now();
    await logger.close({ timeoutMs: 50 });
    assert.ok(performance.now() - closing < 10_000, 'close() waited for a sink that never answers');
    stats = logger.stats();
    assert.deepEqual([stats.written, stats.lost, stats.queued, stats.inFlight], [0, 1100, 0, 0]);
    assert.equal(channel.log({ kind: 'request', time: 0, request }), false);
    assert.equal(logger.stats().dropped, 999_901);
  });

  it('writes in batches of at most batchSize, and flushes a partial batch after the interval', async () => {
    const sink = memorySink();
    const logger = createPayloadLogger({ sink, batchSize: 256, flushIntervalMs: 30 });
    const channel = logger.channel(LABELS);
    for (let i = 0; i < 1000; i++)
      channel.log({ kind: 'request', time: i, request: doublingRequest(`r${i}`) });
    await logger.flush();
    assert.deepEqual(
      sink.batches.map((b) => b.length),
      [256, 256, 256, 232],
    );
    assert.deepEqual(
      sink.events().map((e) => e.requestid),
      Array.from({ length: 1000 }, (_, i) => `r${i}`),
    );
    for (let i = 0; i < 3; i++)
      channel.log({ kind: 'request', time: i, request: doublingRequest(`late${i}`) });
    assert.equal(sink.batches.length, 4);
    await until(() => sink.batches.length === 5, 'the partial batch after the interval');
    assert.deepEqual(
      sink.batches[4]?.map((e) => e.requestid),
      ['late0', 'late1', 'late2'],
    );
    await logger.close();
  });

  it('writes a full batch without waiting for the interval', async () => {
    const sink = memorySink();
    const logger = createPayloadLogger({ sink, batchSize: 4, flushIntervalMs: 60_000 });
    const channel = logger.channel(LABELS);
    for (let i = 0; i < 4; i++) channel.log({ kind: 'request', time: i, request: doublingRequest(`r${i}`) });
    // The interval is a minute: the batch arriving within the deadline means it did not wait for it.
    await until(() => sink.batches.length === 1, 'the full batch');
    assert.deepEqual(
      sink.batches.map((b) => b.length),
      [4],
    );
    await logger.close();
  });

  it('retries a failed write with growing delays, then gives the batch up after maxAttempts', async () => {
    const sink = memorySink();
    const attempts: number[] = [];
    const errors: number[] = [];
    const write = sink.write;
    sink.write = async (events) => {
      attempts.push(performance.now());
      return write(events);
    };
    const logger = createPayloadLogger({
      sink,
      retry: { initialDelayMs: 20, maxDelayMs: 1000, maxAttempts: 3 },
      random: () => 0, // no jitter: delays are exactly half of 20, 40, ...
      onSinkError: (_e, attempt) => errors.push(attempt),
    });
    const channel = logger.channel(LABELS);
    sink.failNext = 2;
    channel.log({ kind: 'request', time: 1, request: doublingRequest('a') });
    await logger.flush();
    assert.deepEqual(
      sink.events().map((e) => e.requestid),
      ['a'],
    );
    assert.deepEqual(errors, [1, 2]);
    const gaps = [attempts[1]! - attempts[0]!, attempts[2]! - attempts[1]!];
    // Lower bounds only: a loaded machine can stretch any delay, never shorten it.
    assert.ok(gaps[0]! >= 9 && gaps[1]! >= 19, `gaps ${gaps.map((g) => g.toFixed(1))}`);

    sink.failNext = 3;
    channel.log({ kind: 'request', time: 2, request: doublingRequest('b') });
    await logger.flush();
    channel.log({ kind: 'request', time: 3, request: doublingRequest('c') });
    await logger.close();
    const stats = logger.stats();
    assert.deepEqual(
      [stats.written, stats.lost, stats.sinkFailures, stats.retries],
      [2, 1, 5, 4], // a after 2 failures (2 retries); b lost after 3 attempts (2 retries); c at once
    );
    assert.deepEqual(
      sink.events().map((e) => e.requestid),
      ['a', 'c'],
    );
  });

  it('gives one channel per label set and validates its options', async () => {
    const logger = createPayloadLogger({ sink: memorySink() });
    assert.equal(logger.channel({ ...LABELS }), logger.channel({ ...LABELS }));
    assert.notEqual(logger.channel(LABELS), logger.channel({ ...LABELS, route: 'canary' }));
    await logger.close();
    assert.throws(() => createPayloadLogger({ sink: memorySink(), batchSize: 0 }), {
      code: 'INVALID_ARGUMENT',
    });
    assert.throws(() => createPayloadLogger({ sink: memorySink(), capacity: 1.5 }), {
      code: 'INVALID_ARGUMENT',
    });
  });
});
