// The HTTP sink against a real node:http server, in both CloudEvents HTTP content modes.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import {
  constantAttributes,
  createDefaultPayloadSinks,
  createHttpSink,
  createPayloadLogger,
  toCloudEvent,
  withPayloadLogging,
} from './index.js';
import { doublingEndpoint, doublingRequest } from './test-support/endpoints.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const constant = constantAttributes({ deployment: 'fraud', node: 'scorer', model: 'doubler', version: '3' });
const events = Array.from({ length: 3 }, (_, i) =>
  toCloudEvent(
    { kind: 'request', time: Date.UTC(2026, 0, 1) + i, request: doublingRequest(`r${i}`) },
    constant,
  ),
);

describe('HTTP payload sink', () => {
  let server: Server;
  let base: string;
  let received: Received[] = [];
  let statuses: number[] = []; // answers to give, in order; 200 once exhausted

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.statusCode = statuses.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
    statuses = [];
  });

  it('posts a batch as one application/cloudevents-batch+json request (structured batched mode)', async () => {
    const sink = await createDefaultPayloadSinks().open(`${base}/events`);
    await sink.write(events);
    await sink.close();
    assert.equal(received.length, 1);
    const [post] = received;
    assert.equal(post!.method, 'POST');
    assert.equal(post!.url, '/events');
    assert.match(post!.headers['content-type']!, /^application\/cloudevents-batch\+json/);
    assert.deepEqual(JSON.parse(post!.body), events);
  });

  it('posts each event with ce- headers and its data as body (binary mode)', async () => {
    const sink = await createDefaultPayloadSinks().open(`${base}/binary#mode=binary&concurrency=2`);
    await sink.write(events);
    await sink.close();
    assert.equal(received.length, 3);
    const byId = new Map(received.map((r) => [r.headers['ce-id'], r]));
    for (const event of events) {
      const post = byId.get(event.id)!;
      assert.equal(post.url, '/binary');
      assert.equal(post.headers['ce-specversion'], '1.0');
      assert.equal(post.headers['ce-type'], 'io.osprey.inference.request');
      assert.equal(post.headers['ce-source'], '/osprey/deployments/fraud/nodes/scorer');
      assert.equal(post.headers['ce-time'], event.time);
      assert.equal(post.headers['ce-inferenceservicename'], 'fraud');
      assert.equal(post.headers['ce-modelid'], 'scorer');
      assert.equal(post.headers['ce-requestid'], event.requestid);
      assert.equal(post.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(post.body), event.data);
    }
  });

  it('sends URI credentials as Basic auth, never in the URL', async () => {
    const sink = createHttpSink(new URL(`http://ops:s%3Acret@${base.slice(7)}/events`));
    assert.equal(sink.uri, `${base}/events`);
    await sink.write(events.slice(0, 1));
    assert.equal(received[0]!.headers.authorization, `Basic ${Buffer.from('ops:s:cret').toString('base64')}`);
  });

  it('rejects on a non-2xx answer or an unreachable host, so the logger retries', async () => {
    statuses = [503];
    const sink = createHttpSink(new URL(`${base}/events`));
    await rejectsWith(sink.write(events), 'UNAVAILABLE', /503/);
    await rejectsWith(createHttpSink(new URL('http://127.0.0.1:1/x')).write(events), 'UNAVAILABLE');
    assert.throws(() => createHttpSink(new URL(`${base}/x#mode=carrier-pigeon`)), {
      code: 'INVALID_ARGUMENT',
    });
    assert.throws(() => createHttpSink(new URL(`${base}/x#colour=blue`)), { code: 'INVALID_ARGUMENT' });
  });

  it('delivers served requests end to end through the logger, retrying after a failed POST', async () => {
    statuses = [500];
    const sink = createHttpSink(new URL(`${base}/events`));
    const logger = createPayloadLogger({ sink, retry: { initialDelayMs: 5 } });
    const endpoint = withPayloadLogging(doublingEndpoint(), logger, { deployment: 'fraud', node: 'scorer' });
    for (let i = 0; i < 4; i++) await endpoint.infer(doublingRequest(`e${i}`));
    await logger.close();
    const stats = logger.stats();
    assert.deepEqual([stats.written, stats.sinkFailures, stats.retries, stats.lost], [8, 1, 1, 0]);
    assert.equal(received.length, 2); // the failed POST and its retry, with the same events
    assert.equal(received[0]!.body, received[1]!.body);
    const delivered = JSON.parse(received[1]!.body) as { type: string; requestid: string }[];
    assert.deepEqual(
      delivered.map((e) => `${e.requestid}:${e.type.split('.').pop()}`),
      ['e0', 'e1', 'e2', 'e3'].flatMap((id) => [`${id}:request`, `${id}:response`]),
    );
  });
});
