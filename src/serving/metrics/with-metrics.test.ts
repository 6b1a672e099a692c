// Serving metrics after a known sequence of calls, read back from the Prometheus text exposition.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { register as globalRegistry, Registry } from 'prom-client';
import { rejectsWith } from '../../../test/support/assertions.js';
import { createPayloadLogger } from '../logging/index.js';
import {
  doublingEndpoint,
  doublingRequest,
  memorySink,
  stalledSink,
} from '../logging/test-support/endpoints.js';
import type { InferenceResponse } from '../types.js';
import { servingObserver, trackPayloadLogger, withMetrics } from './index.js';

/** Parses the text format into `name{label="v",...}` → value, labels sorted by name. */
async function scrape(registry: Registry): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of (await registry.metrics()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `unparseable line: ${line}`);
    const labels = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, k, v]) => `${k}="${v}"`)
      .sort();
    out.set(`${match[1]}{${labels.join(',')}}`, Number(match[3]));
  }
  return out;
}

const BASE = { deployment: 'fraud', model: 'doubler', node: 'scorer', version: '3' };

/** The `scrape` key of a series: `name{labels}` with labels sorted by name. */
function key(name: string, labels: Record<string, string> = BASE): string {
  const parts = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  return `${name}{${parts.join(',')}}`;
}

describe('withMetrics', () => {
  it('counts outcomes, times requests and tracks requests in flight', async () => {
    const registry = new Registry();
    const endpoint = withMetrics(doublingEndpoint(), registry, { deployment: 'fraud', node: 'scorer' });
    let m = await scrape(registry);
    assert.equal(
      m.get(key('osprey_inference_requests_total', { ...BASE, code: 'OK', outcome: 'success' })),
      0,
    );
    assert.equal(m.get(key('osprey_inference_requests_in_flight')), 0);

    for (let i = 0; i < 3; i++) await endpoint.infer(doublingRequest(`r${i}`));
    await rejectsWith(
      endpoint.infer({ ...doublingRequest('bad'), parameters: { fail: true } }),
      'INVALID_ARGUMENT',
    );
    m = await scrape(registry);
    assert.equal(
      m.get(key('osprey_inference_requests_total', { ...BASE, code: 'OK', outcome: 'success' })),
      3,
    );
    assert.equal(
      m.get(
        key('osprey_inference_requests_total', { ...BASE, code: 'INVALID_ARGUMENT', outcome: 'failure' }),
      ),
      1,
    );
    assert.equal(m.get(key('osprey_inference_request_duration_seconds_count')), 4);
    assert.ok(m.get(key('osprey_inference_request_duration_seconds_sum'))! > 0);
    assert.equal(m.get(key('osprey_inference_request_duration_seconds_bucket', { ...BASE, le: '+Inf' })), 4);
    assert.equal(m.get(key('osprey_inference_requests_in_flight')), 0);
  });

  it('shows a request in flight until it answers, and counts unknown errors as INTERNAL', async () => {
    const registry = new Registry();
    const inner = doublingEndpoint();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = withMetrics(
      {
        ...inner,
        infer: async (request) => {
          await gate;
          if (request.id === 'boom') throw Object.assign(new Error('socket'), { code: 'ECONNRESET' });
          return inner.infer(request);
        },
      },
      registry,
      { deployment: 'fraud', node: 'scorer' },
    );
    const pending: Promise<InferenceResponse>[] = [
      slow.infer(doublingRequest('a')),
      slow.infer(doublingRequest('boom')),
    ];
    assert.equal((await scrape(registry)).get(key('osprey_inference_requests_in_flight')), 2);
    release();
    await Promise.allSettled(pending);
    const m = await scrape(registry);
    assert.equal(m.get(key('osprey_inference_requests_in_flight')), 0);
    assert.equal(
      m.get(key('osprey_inference_requests_total', { ...BASE, code: 'INTERNAL', outcome: 'failure' })),
      1,
    );
  });

  it('keeps endpoints apart by label on one registry, and never touches the global registry', async () => {
    const registry = new Registry();
    const a = withMetrics(doublingEndpoint(), registry, { deployment: 'a' });
    const b = withMetrics(doublingEndpoint(), registry, { deployment: 'b', version: '4' });
    await a.infer(doublingRequest('1'));
    await b.infer(doublingRequest('2'));
    await b.infer(doublingRequest('3'));
    const m = await scrape(registry);
    const count = (deployment: string, version: string) =>
      m.get(
        key('osprey_inference_requests_total', {
          deployment,
          model: 'doubler',
          node: 'doubler',
          version,
          code: 'OK',
          outcome: 'success',
        }),
      );
    assert.equal(count('a', '3'), 1);
    assert.equal(count('b', '4'), 2);
    assert.equal(globalRegistry.getSingleMetric('osprey_inference_requests_total'), undefined);
    assert.throws(() => withMetrics(doublingEndpoint(), registry, { deployment: '' }), {
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('servingObserver', () => {
  it('records batch sizes (Triton exec count vs inference count), queue time and compute time', async () => {
    const registry = new Registry();
    const observer = servingObserver(registry, {
      deployment: 'fraud',
      node: 'scorer',
      model: 'doubler',
      version: '3',
    });
    observer.observeBatch(4);
    observer.observeBatch(8);
    observer.observeBatch(3);
    for (const ms of [2, 5, 40]) observer.observeQueueTime(ms);
    observer.observeComputeTime(12);
    const m = await scrape(registry);
    assert.equal(m.get(key('osprey_inference_batch_size_count')), 3); // batches run
    assert.equal(m.get(key('osprey_inference_batch_size_sum')), 15); // requests run
    assert.equal(m.get(key('osprey_inference_batch_size_bucket', { ...BASE, le: '2' })), 0);
    assert.equal(m.get(key('osprey_inference_batch_size_bucket', { ...BASE, le: '4' })), 2);
    assert.equal(m.get(key('osprey_inference_batch_size_bucket', { ...BASE, le: '8' })), 3);
    assert.equal(m.get(key('osprey_inference_queue_duration_seconds_count')), 3);
    assert.ok(Math.abs(m.get(key('osprey_inference_queue_duration_seconds_sum'))! - 0.047) < 1e-12);
    assert.equal(m.get(key('osprey_inference_queue_duration_seconds_bucket', { ...BASE, le: '0.005' })), 2);
    assert.equal(m.get(key('osprey_inference_compute_duration_seconds_sum')), 0.012);
  });
});

describe('trackPayloadLogger', () => {
  it('exposes queue depth, drops and sink counters per channel and per sink', async () => {
    const registry = new Registry();
    const stalled = createPayloadLogger({ sink: stalledSink(), capacity: 5, flushIntervalMs: 60_000 });
    const fine = createPayloadLogger({ sink: memorySink() });
    trackPayloadLogger(registry, stalled);
    trackPayloadLogger(registry, fine); // a second logger on the same registry joins the same metrics
    const channel = stalled.channel({ deployment: 'fraud', node: 'scorer', model: 'doubler', version: '3' });
    const request = doublingRequest('r');
    for (let i = 0; i < 8; i++) channel.log({ kind: 'request', time: i, request });
    const other = fine.channel({ deployment: 'other', node: 'n', model: 'm' });
    other.log({ kind: 'request', time: 0, request });
    await fine.flush();

    const m = await scrape(registry);
    assert.equal(m.get(key('osprey_payload_log_queue_depth')), 5);
    assert.equal(m.get(key('osprey_payload_log_events_total')), 5);
    assert.equal(m.get(key('osprey_payload_log_dropped_total')), 3);
    const O = { deployment: 'other', model: 'm', node: 'n', version: '' };
    assert.equal(m.get(key('osprey_payload_log_queue_depth', O)), 0);
    assert.equal(m.get(key('osprey_payload_log_events_total', O)), 1);
    assert.equal(m.get('osprey_payload_log_queue_capacity{sink="stalled:"}'), 5);
    assert.equal(m.get('osprey_payload_log_queue_capacity{sink="memory:"}'), 10_000);
    assert.equal(m.get('osprey_payload_log_written_total{sink="memory:"}'), 1);
    assert.equal(m.get('osprey_payload_log_written_total{sink="stalled:"}'), 0);

    await stalled.close({ timeoutMs: 10 });
    await fine.close();
    const closed = await scrape(registry);
    assert.equal(closed.get(key('osprey_payload_log_queue_depth')), 0);
    assert.equal(closed.get('osprey_payload_log_lost_total{sink="stalled:"}'), 5);
  });
});
