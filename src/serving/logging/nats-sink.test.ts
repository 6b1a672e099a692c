// The NATS JetStream sink against the real server (nats://127.0.0.1:4222, or OSPREY_TEST_NATS_URL):
// publish through the sink, read back with a JetStream consumer.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connect, type JetStreamManager, type NatsConnection, StringCodec } from 'nats';
import {
  type CloudEvent,
  constantAttributes,
  createDefaultPayloadSinks,
  createPayloadLogger,
  type PayloadSink,
  toCloudEvent,
  withPayloadLogging,
} from './index.js';
import { doublingEndpoint, doublingRequest } from './test-support/endpoints.js';

const NATS_URL = process.env.OSPREY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A connection to the test server, or why there is none (never tolerated under CI, as for PostgreSQL). */
async function natsOrSkip(): Promise<{ nc?: NatsConnection; skip: string | false }> {
  const url = new URL(NATS_URL);
  try {
    return {
      nc: await connect({ servers: `${url.hostname}:${url.port || '4222'}`, timeout: 3000 }),
      skip: false,
    };
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`NATS at ${NATS_URL} is unreachable, and CI requires it`);
    console.warn(
      `\n*** SKIPPING NATS JetStream tests: ${NATS_URL} is unreachable (${(error as Error).message}) ***\n`,
    );
    return { skip: `NATS unreachable at ${NATS_URL}` };
  }
}

const nats = await natsOrSkip();

describe('NATS JetStream payload sink', { skip: nats.skip }, () => {
  const tag = randomBytes(4).toString('hex');
  const stream = `OSPREY_TEST_${tag}`;
  const subject = `osprey.test${tag}`;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let sink: PayloadSink;
  const codec = StringCodec();

  /** Every message in the stream, in order, with its subject and headers. */
  async function readBack(count: number) {
    const consumer = await nc.jetstream().consumers.get(stream); // ordered, ephemeral
    const messages = await consumer.fetch({ max_messages: count, expires: 3000 });
    const out: { subject: string; msgId?: string; contentType?: string; event: CloudEvent }[] = [];
    for await (const m of messages) {
      out.push({
        subject: m.subject,
        msgId: m.headers?.get('Nats-Msg-Id'),
        contentType: m.headers?.get('content-type'),
        event: JSON.parse(codec.decode(m.data)) as CloudEvent,
      });
      if (out.length === count) break;
    }
    return out;
  }

  before(async () => {
    nc = nats.nc!;
    jsm = await nc.jetstreamManager();
    sink = await createDefaultPayloadSinks().open(`${NATS_URL}#stream=${stream}&subject=${subject}`);
  });
  after(async () => {
    await sink?.close();
    await jsm?.streams.delete(stream).catch(() => false);
    await nc?.close();
  });

  it('creates the stream and publishes each event as structured JSON with Nats-Msg-Id = event id', async () => {
    const info = await jsm.streams.info(stream);
    assert.deepEqual(info.config.subjects, [`${subject}.>`]);
    const constant = constantAttributes({
      deployment: 'fraud.eu',
      node: 'scorer',
      model: 'doubler',
      version: '3',
    });
    const events = [
      toCloudEvent({ kind: 'request', time: Date.UTC(2026, 0, 1), request: doublingRequest('n1') }, constant),
      toCloudEvent({ kind: 'request', time: Date.UTC(2026, 0, 1), request: doublingRequest('n2') }, constant),
    ];
    await sink.write(events);
    // A retried batch is dropped by the stream's duplicate window.
    await sink.write(events);
    assert.equal((await jsm.streams.info(stream)).state.messages, 2);
    const back = await readBack(2);
    assert.deepEqual(
      back.map((m) => m.event),
      events,
    );
    assert.deepEqual(
      back.map((m) => m.msgId),
      events.map((e) => e.id),
    );
    assert.deepEqual(
      back.map((m) => m.subject),
      [`${subject}.fraud_eu.request`, `${subject}.fraud_eu.request`],
    );
    assert.ok(back.every((m) => m.contentType === 'application/cloudevents+json'));
  });

  it('carries served requests end to end through the logger', async () => {
    const logger = createPayloadLogger({ sink: { ...sink, close: async () => {} } });
    const endpoint = withPayloadLogging(doublingEndpoint(), logger, { deployment: 'live', node: 'scorer' });
    for (let i = 0; i < 3; i++) await endpoint.infer(doublingRequest(`live${i}`));
    await logger.close();
    assert.deepEqual([logger.stats().written, logger.stats().lost], [6, 0]);
    const back = (await readBack(8)).slice(2);
    assert.deepEqual(
      back.map((m) => `${m.event.requestid}:${m.subject.split('.').pop()}`),
      ['live0', 'live1', 'live2'].flatMap((id) => [`${id}:request`, `${id}:response`]),
    );
    assert.deepEqual((back[1]!.event.data as { outputs: unknown }).outputs, [
      { name: 'y', datatype: 'FP32', shape: [3], data: [2, 4, 6] },
    ]);
  });

  it('adds its subject to an existing stream opened under another prefix', async () => {
    const other = await createDefaultPayloadSinks().open(`${NATS_URL}#stream=${stream}&subject=${subject}b`);
    await other.close();
    const info = await jsm.streams.info(stream);
    assert.deepEqual(info.config.subjects, [`${subject}.>`, `${subject}b.>`]);
  });
});
