// The app's serving host logs payloads to the sink OSPREY_PAYLOAD_SINK names: here the real NATS
// JetStream server (nats://127.0.0.1:4222, or OSPREY_TEST_NATS_URL), read back with its manager API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type NatsConnection } from 'nats';
import {
  type RegisteredModels,
  ROWS,
  registeredModels,
} from '../serving/host/test-support/registered-models.js';
import { createServingHost } from './index.js';

const NATS_URL = process.env.OSPREY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

async function natsOrSkip(): Promise<{ nc?: NatsConnection; skip?: string }> {
  try {
    return { nc: await connect({ servers: new URL(NATS_URL).host, timeout: 2000 }) };
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`NATS at ${NATS_URL} is unreachable, and CI requires it`);
    console.warn(
      `\n*** SKIPPING payload-sink tests: NATS unreachable at ${NATS_URL} (${(error as Error).message}) ***\n`,
    );
    return { skip: `NATS unreachable at ${NATS_URL}` };
  }
}

const nats = await natsOrSkip();

describe('serving host payload sink', { skip: nats.skip }, () => {
  let world: RegisteredModels;
  const stream = `OSPREY_HOST_TEST_${process.pid}`;
  before(async () => {
    world = await registeredModels('paid');
  });
  after(async () => {
    const jsm = await nats.nc!.jetstreamManager();
    await jsm.streams.delete(stream).catch(() => false);
    await nats.nc!.close();
    await world.dispose();
  });
  const hostWith = (payloadSink: string) =>
    createServingHost({
      config: { ...world.osprey.config, payloadSink },
      database: world.osprey.database,
      tracking: world.osprey.tracking,
      registry: world.osprey.registry,
    });

  it('publishes request and response events of a logged deployment to JetStream', async () => {
    const serving = hostWith(`${NATS_URL}#stream=${stream}&subject=osprey.test.${process.pid}`);
    try {
      await serving.host.apply({
        name: 'paid',
        graph: { name: 'classifier', type: 'model', model: 'models:/paid@champion' },
        payloadLogging: { enabled: true, sampleRate: 1 },
      });
      const request = {
        id: 'req-1',
        inputs: {
          input: { datatype: 'FP32' as const, shape: [ROWS.length, 2], data: Float32Array.from(ROWS.flat()) },
        },
      };
      const response = await serving.host.endpoint('paid').infer(request);
      assert.equal(response.outputs.label?.shape[0], ROWS.length);
    } finally {
      await serving.close(); // flushes the payload logger
    }
    const info = await (await nats.nc!.jetstreamManager()).streams.info(stream);
    assert.equal(info.state.messages, 2, 'one request and one response event');
  });

  it('refuses a sink scheme it does not know', () => {
    assert.throws(() => hostWith('kafka://broker:9092'), { code: 'INVALID_ARGUMENT', message: /use one of/ });
  });
});
