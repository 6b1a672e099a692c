import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { createRng } from '../../monitoring/index.js';
import { createPayloadLogger, NO_LOG_HEADER, withPayloadLogging } from './index.js';
import { doublingEndpoint, doublingRequest, memorySink, stalledSink } from './test-support/endpoints.js';

describe('withPayloadLogging', () => {
  it('logs a request and its response under the same request id, and passes the response through', async () => {
    const sink = memorySink();
    const logger = createPayloadLogger({ sink });
    const inner = doublingEndpoint();
    const endpoint = withPayloadLogging(inner, logger, {
      deployment: 'fraud',
      node: 'scorer',
      route: 'canary',
    });
    assert.deepEqual([endpoint.name, endpoint.version, endpoint.platform], ['doubler', '3', 'js']);
    assert.equal(endpoint.signature, inner.signature);
    assert.equal(endpoint.ready(), true);
    const response = await endpoint.infer(doublingRequest('r1'));
    assert.deepEqual(response, await inner.infer(doublingRequest('r1')));
    await logger.close();
    const [request, reply] = sink.events();
    assert.equal(sink.events().length, 2);
    assert.equal(request!.type, 'io.osprey.inference.request');
    assert.equal(reply!.type, 'io.osprey.inference.response');
    for (const event of [request!, reply!]) {
      assert.equal(event.requestid, 'r1');
      assert.equal(event.inferenceservicename, 'fraud');
      assert.equal(event.modelid, 'scorer');
      assert.equal(event.modelname, 'doubler');
      assert.equal(event.modelversion, '3');
      assert.equal(event.endpoint, 'canary');
    }
    assert.ok(Number(reply!.latencyms) >= 0);
    assert.ok(Date.parse(reply!.time!) >= Date.parse(request!.time!));
  });

  it(`skips requests that carry ${NO_LOG_HEADER}: 1 (or true), and logs the rest`, async () => {
    const sink = memorySink();
    const logger = createPayloadLogger({ sink });
    const endpoint = withPayloadLogging(doublingEndpoint(), logger, { deployment: 'fraud' });
    const answers = await Promise.all([
      endpoint.infer(doublingRequest('quiet1', { [NO_LOG_HEADER]: '1' })),
      endpoint.infer(doublingRequest('quiet2', { [NO_LOG_HEADER]: 'true' })),
      endpoint.infer(doublingRequest('loud1', { [NO_LOG_HEADER]: '0' })),
      endpoint.infer(doublingRequest('loud2')),
    ]);
    assert.deepEqual(
      answers.map((a) => Array.from(a.outputs.y!.data as Float32Array)),
      Array(4).fill([2, 4, 6]),
    );
    await logger.close();
    assert.deepEqual([...new Set(sink.events().map((e) => e.requestid))], ['loud1', 'loud2']);
  });

  it('samples requests at sampleRate, within binomial bounds (seeded)', async () => {
    const n = 4000;
    for (const [rate, seed] of [
      [0.1, 7],
      [0.5, 11],
    ] as const) {
      const sink = memorySink();
      const logger = createPayloadLogger({ sink, capacity: 2 * n });
      const rng = createRng(seed);
      const endpoint = withPayloadLogging(doublingEndpoint(), logger, {
        deployment: 'fraud',
        sampleRate: rate,
        random: () => rng.next(),
      });
      for (let i = 0; i < n; i++) await endpoint.infer(doublingRequest(`r${i}`));
      await logger.close();
      const requests = sink.events().filter((e) => e.type === 'io.osprey.inference.request');
      const responses = sink.events().filter((e) => e.type === 'io.osprey.inference.response');
      // Binomial(n, p): mean np, sd sqrt(np(1-p)); 4 sd leaves a false alarm once in ~16,000 seeds.
      const mean = n * rate;
      const sd = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(requests.length - mean) < 4 * sd, `rate ${rate}: ${requests.length} of ${n}`);
      // A sampled request is logged whole: its response too.
      assert.deepEqual(
        responses.map((e) => e.requestid),
        requests.map((e) => e.requestid),
      );
    }
    for (const rate of [0, 1]) {
      const sink = memorySink();
      const logger = createPayloadLogger({ sink });
      const endpoint = withPayloadLogging(doublingEndpoint(), logger, { deployment: 'd', sampleRate: rate });
      for (let i = 0; i < 50; i++) await endpoint.infer(doublingRequest(`r${i}`));
      await logger.close();
      assert.equal(sink.events().length, rate * 100);
    }
  });

  it('logs a failed request as an error event and rethrows the error unchanged', async () => {
    const sink = memorySink();
    const logger = createPayloadLogger({ sink });
    const endpoint = withPayloadLogging(doublingEndpoint(), logger, { deployment: 'fraud' });
    const request = { ...doublingRequest('bad'), parameters: { fail: true } };
    await rejectsWith(endpoint.infer(request), 'INVALID_ARGUMENT');
    await logger.close();
    const events = sink.events();
    assert.deepEqual(
      events.map((e) => e.type),
      ['io.osprey.inference.request', 'io.osprey.inference.error'],
    );
    assert.deepEqual(events[1]!.data, { error: 'asked to fail', code: 'INVALID_ARGUMENT' });
    assert.deepEqual((events[0]!.data as { parameters: unknown }).parameters, { fail: true });
  });

  it('passes feedback on and logs it', async () => {
    const sink = memorySink();
    const logger = createPayloadLogger({ sink });
    const inner = doublingEndpoint();
    const endpoint = withPayloadLogging(inner, logger, { deployment: 'fraud' });
    await endpoint.feedback!({ requestId: 'r1', reward: 1, routing: { router: 0 } });
    await logger.close();
    assert.deepEqual(inner.feedbacks, [{ requestId: 'r1', reward: 1, routing: { router: 0 } }]);
    assert.equal(sink.events()[0]!.type, 'io.osprey.inference.feedback');
    assert.deepEqual(sink.events()[0]!.data, { request_id: 'r1', reward: 1, routing: { router: 0 } });
  });

  it('keeps serving when the queue is full, and counts the drops', async () => {
    const logger = createPayloadLogger({ sink: stalledSink(), capacity: 3, flushIntervalMs: 60_000 });
    const endpoint = withPayloadLogging(doublingEndpoint(), logger, { deployment: 'fraud' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => endpoint.infer(doublingRequest(`r${i}`))),
    );
    assert.equal(answers.length, 10);
    assert.deepEqual([logger.stats().logged, logger.stats().dropped], [3, 17]);
    await logger.close({ timeoutMs: 10 });
  });

  it('refuses bad options', () => {
    const logger = createPayloadLogger({ sink: memorySink() });
    for (const sampleRate of [-0.1, 1.5, Number.NaN])
      assert.throws(() => withPayloadLogging(doublingEndpoint(), logger, { deployment: 'd', sampleRate }), {
        code: 'INVALID_ARGUMENT',
      });
    assert.throws(() => withPayloadLogging(doublingEndpoint(), logger, { deployment: '' }), {
      code: 'INVALID_ARGUMENT',
    });
  });
});
