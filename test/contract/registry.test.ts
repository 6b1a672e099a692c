// The registry contract, on every supported database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Osprey } from '../../src/app/index.js';
import { rejectsWith } from '../support/assertions.js';
import { dialects } from '../support/databases.js';
import { testOsprey } from '../support/osprey.js';

for (const dialect of await dialects()) {
  describe(`registry on ${dialect.name}`, { skip: dialect.skip }, () => {
    let osprey: Osprey & { dispose(): Promise<void> };
    let runId: string;
    before(async () => {
      osprey = await testOsprey(await dialect.create());
      const run = await osprey.tracking.runs.create({
        tags: [{ key: 'mlflow.source.git.commit', value: 'abc123' }],
      });
      runId = run.info.runId;
      await osprey.tracking.logger.logBatch(runId, {
        params: [{ key: 'depth', value: '4' }],
        metrics: [{ key: 'auc', value: 0.93, timestamp: 1, step: 0 }],
      });
      await osprey.tracking.logger.logInputs(runId, [
        {
          dataset: { name: 'tx', digest: 'd1', sourceType: 'local', source: 'tx.csv' },
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
        },
      ]);
    });
    after(async () => osprey?.dispose());
    const r = () => osprey.registry;

    it('creates models, numbers versions, and rejects duplicates and unknown runs', async () => {
      const model = await r().models.create({
        name: 'fraud',
        description: 'card fraud',
        tags: [{ key: 'team', value: 'risk' }],
      });
      assert.equal(model.name, 'fraud');
      assert.deepEqual(model.latestVersions, []);
      await rejectsWith(r().models.create({ name: 'fraud' }), 'ALREADY_EXISTS');
      const v1 = await r().versions.create({ name: 'fraud', source: `runs:/${runId}/model`, runId });
      const v2 = await r().versions.create({
        name: 'fraud',
        source: `runs:/${runId}/model`,
        runId,
        tags: [{ key: 'k', value: 'v' }],
      });
      assert.deepEqual([v1.version, v2.version], ['1', '2']);
      assert.equal(v2.currentStage, 'None');
      assert.equal(v2.status, 'READY');
      assert.deepEqual(v2.tags, [{ key: 'k', value: 'v' }]);
      await rejectsWith(r().versions.create({ name: 'nope', source: 'x' }), 'NOT_FOUND');
      await rejectsWith(
        r().versions.create({ name: 'fraud', source: 'x', runId: '0123456789abcdef0123456789abcdef' }),
        'NOT_FOUND',
      );
      await rejectsWith(r().versions.get('fraud', '0'), 'INVALID_ARGUMENT');
      await rejectsWith(r().versions.get('fraud', '9'), 'NOT_FOUND');
    });

    it('numbers versions without gaps or duplicates under concurrent registration', async () => {
      await r().models.create({ name: 'busy' });
      const created = await Promise.all(
        Array.from({ length: 12 }, () => r().versions.create({ name: 'busy', source: 'file:///m' })),
      );
      assert.deepEqual(
        created.map((v) => Number(v.version)).sort((a, b) => a - b),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
    });

    it('sets, moves, resolves and deletes aliases, with MLflow rules', async () => {
      await r().models.setAlias('fraud', 'champion', '1');
      assert.equal((await r().resolve('models:/fraud@champion')).version, '1');
      await r().models.setAlias('fraud', 'champion', 2);
      assert.equal((await r().resolve('models:/fraud@champion')).version, '2');
      assert.deepEqual((await r().models.get('fraud')).aliases, [{ alias: 'champion', version: '2' }]);
      assert.deepEqual((await r().versions.get('fraud', 2)).aliases, ['champion']);
      for (const bad of ['latest', 'v3', 'with space', ''])
        await rejectsWith(r().models.setAlias('fraud', bad, 1), 'INVALID_ARGUMENT');
      await rejectsWith(r().models.setAlias('fraud', 'ghost', 99), 'NOT_FOUND');
      await r().models.deleteAlias('fraud', 'champion');
      await rejectsWith(r().resolve('models:/fraud@champion'), 'NOT_FOUND');
      assert.equal((await r().resolve('models:/fraud/1')).version, '1');
      assert.equal((await r().resolve('models:/fraud/latest')).version, '2');
      await rejectsWith(r().resolve('models:/fraud'), 'INVALID_ARGUMENT');
    });

    it('transitions stages and archives the existing versions on request', async () => {
      await r().versions.transitionStage('fraud', 1, 'production', false);
      assert.equal((await r().resolve('models:/fraud/Production')).version, '1');
      await r().versions.transitionStage('fraud', 2, 'Production', true);
      assert.equal((await r().versions.get('fraud', 1)).currentStage, 'Archived');
      assert.equal((await r().resolve('models:/fraud/Production')).version, '2');
      const latest = await r().versions.latest('fraud');
      assert.deepEqual(
        latest.map((v) => [v.version, v.currentStage]),
        [
          ['1', 'Archived'],
          ['2', 'Production'],
        ],
      );
      assert.deepEqual(
        (await r().models.get('fraud')).latestVersions.map((v) => v.version),
        ['1', '2'],
      );
      await rejectsWith(r().versions.transitionStage('fraud', 1, 'Canary', false), 'INVALID_ARGUMENT');
    });

    it('searches models and versions with the registry filter grammar', async () => {
      await r().models.create({ name: 'churn', tags: [{ key: 'team', value: 'growth' }] });
      const names = async (filter?: string) => (await r().models.search({ filter })).items.map((m) => m.name);
      assert.deepEqual(await names("name LIKE 'fr%'"), ['fraud']);
      assert.deepEqual(await names("tags.team = 'growth'"), ['churn']);
      assert.deepEqual(await names(), ['busy', 'churn', 'fraud']);
      const page = await r().models.search({ maxResults: 2 });
      assert.equal(page.items.length, 2);
      assert.equal(
        (await r().models.search({ maxResults: 2, pageToken: page.nextPageToken })).items.length,
        1,
      );
      const versions = await r().versions.search({ filter: `name = 'fraud' AND run_id = '${runId}'` });
      assert.deepEqual(
        versions.items.map((v) => v.version),
        ['2', '1'],
      );
      assert.deepEqual(
        (await r().versions.search({ filter: "tags.k = 'v'" })).items.map((v) => `${v.name}/${v.version}`),
        ['fraud/2'],
      );
      await rejectsWith(r().versions.search({ filter: 'name = ' }), 'INVALID_ARGUMENT');
    });

    it('traces a version to its run, params, metrics, data and commit', async () => {
      const lineage = await r().lineage('fraud', 2);
      assert.equal(lineage.run?.runId, runId);
      assert.deepEqual(lineage.run?.params, [{ key: 'depth', value: '4' }]);
      assert.deepEqual(lineage.run?.metrics, [{ key: 'auc', value: 0.93, step: 0 }]);
      assert.deepEqual(lineage.run?.datasets, [
        { name: 'tx', digest: 'd1', source: 'tx.csv', context: 'training' },
      ]);
      assert.equal(lineage.run?.gitCommit, 'abc123');
      const run = await osprey.tracking.runs.get(runId);
      assert.equal(await r().versions.downloadUri('fraud', 2), `${run.info.artifactUri}/model`);
    });

    it('renames and deletes models with their versions, tags and aliases', async () => {
      await r().models.setAlias('fraud', 'champion', 2);
      await r().versions.setTag('fraud', 2, 'validated', 'yes');
      const renamed = await r().models.rename('fraud', 'fraud-v2');
      assert.deepEqual(renamed.aliases, [{ alias: 'champion', version: '2' }]);
      assert.deepEqual((await r().versions.get('fraud-v2', 2)).tags, [
        { key: 'k', value: 'v' },
        { key: 'validated', value: 'yes' },
      ]);
      await rejectsWith(r().models.get('fraud'), 'NOT_FOUND');
      await rejectsWith(r().models.rename('churn', 'fraud-v2'), 'ALREADY_EXISTS');
      await r().versions.delete('fraud-v2', 2);
      await rejectsWith(r().resolve('models:/fraud-v2@champion'), 'NOT_FOUND');
      await r().models.delete('fraud-v2');
      await rejectsWith(r().versions.get('fraud-v2', 1), 'NOT_FOUND');
      assert.deepEqual((await r().versions.search({ filter: "name = 'fraud-v2'" })).items, []);
    });
  });
}
