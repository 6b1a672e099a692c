// The embedded payload-log sink and its query API, on every supported database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { dialects, type TestDatabase } from '../../../test/support/databases.js';
import { type Database, openDatabase } from '../../store/db/index.js';
import {
  type CloudEvent,
  constantAttributes,
  createDefaultPayloadSinks,
  createPayloadLogger,
  createPayloadLogStore,
  DEFAULT_PAYLOAD_SINK,
  type PayloadLogStore,
  toCloudEvent,
  withPayloadLogging,
} from './index.js';
import { doublingEndpoint, doublingRequest } from './test-support/endpoints.js';

// Long before the live events of the first test, so windows from T0 to T0 + 30 min hold only synthetic ones.
const T0 = Date.UTC(2020, 5, 1);
const MINUTE = 60_000;

/** 30 request events: deployments a/b alternating, models m1 (i < 20) and m2, one per minute from T0. */
function syntheticEvents(): CloudEvent[] {
  return Array.from({ length: 30 }, (_, i) =>
    toCloudEvent(
      { kind: 'request', time: T0 + i * MINUTE, request: doublingRequest(`q${i}`) },
      constantAttributes({
        deployment: i % 2 === 0 ? 'a' : 'b',
        node: 'n',
        model: i < 20 ? 'm1' : 'm2',
        version: '1',
      }),
    ),
  );
}

for (const dialect of await dialects()) {
  describe(`payload log store on ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase;
    let database: Database;
    let store: PayloadLogStore;
    before(async () => {
      testDb = await dialect.create();
      database = await openDatabase(testDb.url);
      store = createPayloadLogStore(database);
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
    });

    it('receives served requests through the default store: sink and finds them by request id', async () => {
      const sink = await createDefaultPayloadSinks({ store }).open(DEFAULT_PAYLOAD_SINK);
      const logger = createPayloadLogger({ sink });
      const endpoint = withPayloadLogging(doublingEndpoint(), logger, { deployment: 'live', node: 'scorer' });
      for (let i = 0; i < 5; i++) await endpoint.infer(doublingRequest(`live${i}`));
      await logger.close();
      assert.deepEqual([logger.stats().written, logger.stats().lost], [10, 0]);
      const page = await store.queryPayloads({ requestId: 'live3', order: 'asc' });
      assert.deepEqual(
        page.events.map((e) => e.type),
        ['io.osprey.inference.request', 'io.osprey.inference.response'],
      );
      assert.deepEqual((page.events[1]!.data as { outputs: unknown }).outputs, [
        { name: 'y', datatype: 'FP32', shape: [3], data: [2, 4, 6] },
      ]);
      assert.equal(page.nextPageToken, undefined);
      const live = await store.queryPayloads({ deployment: 'live', kind: 'response' });
      assert.equal(live.events.length, 5);
      assert.ok(live.events.every((e) => e.modelid === 'scorer' && Number(e.latencyms) >= 0));
    });

    it('filters by deployment, model, kind and time window, and pages without gaps or repeats', async () => {
      const events = syntheticEvents();
      await store.append(events);
      await store.append(events.slice(0, 5)); // a retried batch: ids already stored are skipped
      const all = await store.queryPayloads({ from: T0, to: T0 + 30 * MINUTE, limit: 1000 });
      assert.equal(all.events.length, 30);
      assert.deepEqual(
        all.events.map((e) => e.id),
        events.map((e) => e.id).reverse(),
      );

      const window = await store.queryPayloads({
        deployment: 'a',
        from: new Date(T0 + 4 * MINUTE),
        to: new Date(T0 + 10 * MINUTE).toISOString(),
        order: 'asc',
      });
      assert.deepEqual(
        window.events.map((e) => e.requestid),
        ['q4', 'q6', 'q8'],
      );
      const m2 = await store.queryPayloads({ model: 'm2', deployment: 'b', kind: 'request', from: T0 });
      assert.deepEqual(
        m2.events.map((e) => e.requestid),
        ['q29', 'q27', 'q25', 'q23', 'q21'],
      );

      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let pageToken: string | undefined;
        let pages = 0;
        do {
          const page = await store.queryPayloads({
            from: T0,
            to: T0 + 30 * MINUTE,
            limit: 7,
            order,
            ...(pageToken ? { pageToken } : {}),
          });
          seen.push(...page.events.map((e) => e.requestid as string));
          pageToken = page.nextPageToken;
          pages++;
        } while (pageToken !== undefined);
        const expected = events.map((e) => e.requestid as string);
        assert.deepEqual(seen, order === 'asc' ? expected : expected.reverse());
        assert.equal(pages, 5);
      }
    });

    it('prunes events older than a time', async () => {
      const before = await store.queryPayloads({ from: T0, limit: 1000 });
      assert.equal(await store.prune(T0 + 10 * MINUTE), 10);
      const afterPrune = await store.queryPayloads({ from: T0, limit: 1000 });
      assert.equal(afterPrune.events.length, before.events.length - 10);
    });

    it('refuses bad queries', async () => {
      await rejectsWith(store.queryPayloads({ limit: 0 }), 'INVALID_ARGUMENT');
      await rejectsWith(store.queryPayloads({ limit: 1001 }), 'INVALID_ARGUMENT');
      await rejectsWith(store.queryPayloads({ from: 'yesterday' }), 'INVALID_ARGUMENT');
      await rejectsWith(store.queryPayloads({ pageToken: 'nope' }), 'INVALID_ARGUMENT');
      await rejectsWith(store.queryPayloads({ kind: 'other' as 'request' }), 'INVALID_ARGUMENT');
    });

    if (dialect.name === 'sqlite') {
      it('answers deployment windows and request ids from their indexes', async () => {
        const plan = async (query: string) => {
          const { sql } = await import('kysely');
          const rows = await sql<{ detail: string }>`${sql.raw(`explain query plan ${query}`)}`.execute(
            database.db,
          );
          return rows.rows.map((r) => r.detail).join('; ');
        };
        assert.match(
          await plan(
            `select event from payload_logs where deployment = 'a' and time >= 0 order by time desc limit 10`,
          ),
          /payload_logs_deployment_time/,
        );
        assert.match(
          await plan(`select event from payload_logs where request_id = 'q1'`),
          /payload_logs_request/,
        );
      });
    }
  });
}

describe('payload sink registry', () => {
  it('refuses unknown schemes, malformed URIs, and store: without a database', async () => {
    const sinks = createDefaultPayloadSinks();
    assert.deepEqual(sinks.schemes(), ['http', 'https', 'nats', 'store']);
    await rejectsWith(sinks.open('kafka://broker:9092'), 'INVALID_ARGUMENT', /kafka/);
    await rejectsWith(sinks.open('not a uri'), 'INVALID_ARGUMENT');
    await rejectsWith(sinks.open('store:'), 'INVALID_ARGUMENT', /database/);
    assert.throws(() => sinks.register('Bad_Scheme', () => ({}) as never), { code: 'INVALID_ARGUMENT' });
  });
});
