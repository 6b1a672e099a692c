// Bandit state in the database (migration 0004-bandit-state), on every supported dialect: replicas
// sharing a database agree, a restart keeps what was learnt, and concurrent rewards are never lost.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { dialects, type TestDatabase } from '../../../test/support/databases.js';
import { createRng } from '../../random/index.js';
import { type Database, openDatabase } from '../../store/db/index.js';
import type { Deployment } from './deployment.js';
import { createSqlBanditStore } from './sql-bandit-store.js';
import { deploy, mapModel, request } from './test-support/fake-nodes.js';

const leaf = (name: string) => ({ name, type: 'model', model: `fake:${name}` });
const spec = {
  name: 'fraud',
  graph: {
    name: 'bandit',
    type: 'router',
    router: { type: 'epsilon-greedy', epsilon: 0 },
    children: [leaf('a'), leaf('b')],
  },
};

/** A replica of the `fraud` deployment on this database; bandit evidence is never reloaded on its own. */
function replica(database: Database, seed: number): Promise<Deployment> {
  return deploy(
    spec,
    { a: mapModel((v) => v), b: mapModel((v) => v) },
    { banditStore: createSqlBanditStore(database), rng: createRng(seed), banditRefreshMs: 3_600_000 },
  );
}

/** Credits `reward` to `arm` through a request routed there (the feedback carries the routing). */
async function reward(deployment: Deployment, id: string, arm: number, value: number) {
  await deployment.feedback({ requestId: id, routing: { bandit: arm }, reward: value });
}

for (const dialect of await dialects()) {
  describe(`bandit state in ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase;
    let database: Database;
    before(async () => {
      testDb = await dialect.create();
      database = await openDatabase(testDb.url);
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
    });

    it('two replicas sharing the database agree on the evidence and on the best arm', async () => {
      const first = await replica(database, 1);
      const second = await replica(database, 2);
      for (let i = 0; i < 10; i++) await reward(first, `a${i}`, 0, 0.2);
      for (let i = 0; i < 10; i++) await reward(second, `b${i}`, 1, 0.9);
      await Promise.all([first.refresh(), second.refresh()]);
      const expected = [
        { arm: 'a', successes: 2, trials: 10 },
        { arm: 'b', successes: 9, trials: 10 },
      ];
      for (const d of [first, second]) {
        const stats = d
          .banditStats('bandit')
          .map((s) => ({ ...s, successes: Number(s.successes.toFixed(9)) }));
        assert.deepEqual(stats, expected);
        // ε = 0: every request goes to the best arm both replicas now see.
        for (let i = 0; i < 20; i++) assert.equal((await d.infer(request(`q${i}`, [1]))).routing?.bandit, 1);
      }
    });

    it('a restart (a new process on the same database) keeps what was learnt', async () => {
      const before = (await replica(database, 3)).banditStats('bandit');
      await database.close();
      database = await openDatabase(testDb.url);
      const restarted = await replica(database, 4);
      assert.deepEqual(restarted.banditStats('bandit'), before);
      assert.equal((await restarted.infer(request('q', [1]))).routing?.bandit, 1);
    });

    it('concurrent rewards from two replicas are all counted (atomic upsert)', async () => {
      const store = createSqlBanditStore(database);
      const [x, y] = await Promise.all([replica(database, 5), replica(database, 6)]);
      const trialsBefore = (await store.load('fraud', 'bandit')).find((s) => s.arm === 'a')!.trials;
      await Promise.all(Array.from({ length: 40 }, (_, i) => reward(i % 2 === 0 ? x : y, `c${i}`, 0, 1)));
      const after = (await store.load('fraud', 'bandit')).find((s) => s.arm === 'a')!;
      assert.equal(after.trials, trialsBefore + 40);
    });

    it('a replica reloads stale evidence in the background while it routes', async () => {
      const leader = await replica(database, 7);
      const follower = await deploy(
        spec,
        { a: mapModel((v) => v), b: mapModel((v) => v) },
        { banditStore: createSqlBanditStore(database), rng: createRng(8), banditRefreshMs: 0 },
      );
      assert.equal((await follower.infer(request('before', [1]))).routing?.bandit, 1);
      // 200 successes on a lift its mean above b's 0.9; the follower learns it only from the store.
      await Promise.all(Array.from({ length: 200 }, (_, i) => reward(leader, `d${i}`, 0, 1)));
      const deadline = Date.now() + 10_000;
      let route: number | undefined = 1;
      while (route !== 0 && Date.now() < deadline) {
        route = (await follower.infer(request('after', [1]))).routing?.bandit;
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(route, 0);
    });

    it('keeps deployments and nodes apart and rejects impossible updates', async () => {
      const store = createSqlBanditStore(database);
      assert.deepEqual(await store.load('other', 'bandit'), []);
      await store.update('other', 'n', 'arm1', 0.5);
      await store.update('other', 'n', 'arm1', 1, 2);
      assert.deepEqual(await store.load('other', 'n'), [{ arm: 'arm1', successes: 1.5, trials: 3 }]);
      await rejectsWith(
        store.update('other', 'n', 'arm1', 2, 1),
        'INVALID_ARGUMENT',
        /reward must be in \[0, 1\]/,
      );
      await rejectsWith(store.update('other', 'n', 'arm1', 0, 0), 'INVALID_ARGUMENT', /trials must be > 0/);
      assert.deepEqual(await store.load('other', 'n'), [{ arm: 'arm1', successes: 1.5, trials: 3 }]);
    });
  });
}
