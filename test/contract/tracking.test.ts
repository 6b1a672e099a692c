// The tracking contract: one suite, run on every supported database (SQLite and PostgreSQL).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import type { Osprey } from '../../src/app/index.js';
import { rejectsWith } from '../support/assertions.js';
import { dialects } from '../support/databases.js';
import { testOsprey } from '../support/osprey.js';

for (const dialect of await dialects()) {
  describe(`tracking on ${dialect.name}`, { skip: dialect.skip }, () => {
    let osprey: Osprey & { dispose(): Promise<void> };
    before(async () => {
      osprey = await testOsprey(await dialect.create());
    });
    after(async () => osprey?.dispose());
    const t = () => osprey.tracking;

    describe('experiments', () => {
      it('has the Default experiment with id 0', async () => {
        const e = await t().experiments.get('0');
        assert.equal(e.name, 'Default');
        assert.equal(e.lifecycleStage, 'active');
      });

      it('creates, reads by id and name, renames, tags and rejects duplicates', async () => {
        const id = await t().experiments.create({ name: 'fraud', tags: [{ key: 'team', value: 'risk' }] });
        assert.match(id, /^\d+$/);
        const byName = await t().experiments.getByName('fraud');
        assert.equal(byName.experimentId, id);
        assert.deepEqual(byName.tags, [{ key: 'team', value: 'risk' }]);
        assert.equal(byName.artifactLocation, `mlflow-artifacts:/${id}`);
        await rejectsWith(t().experiments.create({ name: 'fraud' }), 'ALREADY_EXISTS');
        await t().experiments.rename(id, 'fraud-v2');
        assert.equal((await t().experiments.get(id)).name, 'fraud-v2');
        await t().experiments.setTag(id, 'team', 'ml');
        assert.deepEqual((await t().experiments.get(id)).tags, [{ key: 'team', value: 'ml' }]);
        await t().experiments.deleteTag(id, 'team');
        assert.deepEqual((await t().experiments.get(id)).tags, []);
        await rejectsWith(t().experiments.deleteTag(id, 'team'), 'NOT_FOUND');
        await rejectsWith(t().experiments.get('987654'), 'NOT_FOUND');
        await rejectsWith(t().experiments.get('abc'), 'INVALID_ARGUMENT');
      });

      it('deletes an experiment with its runs and restores both', async () => {
        const id = await t().experiments.create({ name: 'to-delete' });
        const run = await t().runs.create({ experimentId: id });
        await t().experiments.delete(id);
        assert.equal((await t().experiments.get(id)).lifecycleStage, 'deleted');
        assert.equal((await t().runs.get(run.info.runId)).info.lifecycleStage, 'deleted');
        await rejectsWith(t().runs.create({ experimentId: id }), 'INVALID_ARGUMENT');
        const active = await t().experiments.search({ filter: "name = 'to-delete'" });
        assert.equal(active.items.length, 0);
        const deleted = await t().experiments.search({
          filter: "name = 'to-delete'",
          viewType: 'DELETED_ONLY',
        });
        assert.equal(deleted.items.length, 1);
        await t().experiments.restore(id);
        assert.equal((await t().runs.get(run.info.runId)).info.lifecycleStage, 'active');
      });

      it('searches by name and tag with paging', async () => {
        for (const n of [1, 2, 3])
          await t().experiments.create({ name: `page-${n}`, tags: [{ key: 'k', value: `v${n}` }] });
        const first = await t().experiments.search({
          filter: "name LIKE 'page-%'",
          maxResults: 2,
          orderBy: ['name ASC'],
        });
        assert.deepEqual(
          first.items.map((e) => e.name),
          ['page-1', 'page-2'],
        );
        assert.ok(first.nextPageToken);
        const second = await t().experiments.search({
          filter: "name LIKE 'page-%'",
          maxResults: 2,
          orderBy: ['name ASC'],
          pageToken: first.nextPageToken,
        });
        assert.deepEqual(
          second.items.map((e) => e.name),
          ['page-3'],
        );
        assert.equal(second.nextPageToken, undefined);
        const tagged = await t().experiments.search({ filter: "tags.k = 'v2'" });
        assert.deepEqual(
          tagged.items.map((e) => e.name),
          ['page-2'],
        );
        await rejectsWith(t().experiments.search({ pageToken: 'garbage' }), 'INVALID_ARGUMENT');
      });
    });

    describe('runs', () => {
      it('creates runs with names, tags and parents, and updates them', async () => {
        const parent = await t().runs.create({ runName: 'sweep', tags: [{ key: 'purpose', value: 'demo' }] });
        assert.equal(parent.info.runName, 'sweep');
        assert.equal(parent.info.status, 'RUNNING');
        assert.match(parent.info.runId, /^[0-9a-f]{32}$/);
        assert.equal(parent.info.artifactUri, `mlflow-artifacts:/0/${parent.info.runId}/artifacts`);
        const child = await t().runs.create({ parentRunId: parent.info.runId });
        assert.ok(child.info.runName, 'a default name is generated');
        assert.deepEqual(await t().runs.children(parent.info.runId), [child.info.runId]);
        const info = await t().runs.update(child.info.runId, {
          status: 'FINISHED',
          endTime: 1_800_000_000_000,
          runName: 'trial-1',
        });
        assert.equal(info.status, 'FINISHED');
        assert.equal(info.endTime, 1_800_000_000_000);
        const reloaded = await t().runs.get(child.info.runId);
        assert.equal(reloaded.info.runName, 'trial-1');
        assert.equal(reloaded.data.tags.find((x) => x.key === 'mlflow.runName')?.value, 'trial-1');
        await rejectsWith(t().runs.update(child.info.runId, { status: 'DONE' as never }), 'INVALID_ARGUMENT');
        await rejectsWith(t().runs.get('0123456789abcdef0123456789abcdef'), 'NOT_FOUND');
      });

      it('refuses writes to a deleted run, and accepts them after restore', async () => {
        const run = await t().runs.create({});
        await t().runs.delete(run.info.runId);
        await rejectsWith(
          t().logger.logParam(run.info.runId, 'a', '1'),
          'INVALID_ARGUMENT',
          /must be in the 'active' state/,
        );
        await t().runs.restore(run.info.runId);
        await t().logger.logParam(run.info.runId, 'a', '1');
      });
    });

    describe('logging', () => {
      it('keeps params immutable: same value is a no-op, a different one an error', async () => {
        const { info } = await t().runs.create({});
        await t().logger.logParam(info.runId, 'lr', '0.1');
        await t().logger.logParam(info.runId, 'lr', '0.1');
        await rejectsWith(
          t().logger.logParam(info.runId, 'lr', '0.2'),
          'INVALID_ARGUMENT',
          /Changing param values is not allowed/,
        );
        assert.deepEqual((await t().runs.get(info.runId)).data.params, [{ key: 'lr', value: '0.1' }]);
      });

      it('writes a batch atomically: a bad param leaves no metric behind', async () => {
        const { info } = await t().runs.create({});
        await t().logger.logParam(info.runId, 'depth', '3');
        await rejectsWith(
          t().logger.logBatch(info.runId, {
            metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }],
            params: [{ key: 'depth', value: '4' }],
          }),
          'INVALID_ARGUMENT',
        );
        assert.deepEqual((await t().metrics.history(info.runId, 'loss')).items, []);
      });

      it('validates keys, values and counts before writing', async () => {
        const { info } = await t().runs.create({});
        await rejectsWith(t().logger.logParam(info.runId, '../escape', '1'), 'INVALID_ARGUMENT');
        await rejectsWith(t().logger.logParam(info.runId, 'bad key!', '1'), 'INVALID_ARGUMENT');
        await rejectsWith(t().logger.logParam(info.runId, 'k'.repeat(251), '1'), 'INVALID_ARGUMENT');
        await rejectsWith(t().logger.logParam(info.runId, 'long', 'x'.repeat(6001)), 'INVALID_ARGUMENT');
        await rejectsWith(
          t().logger.logMetric(info.runId, { key: 'm', value: true as never, timestamp: 1, step: 0 }),
          'INVALID_ARGUMENT',
        );
        await rejectsWith(
          t().logger.logMetric(info.runId, { key: 'm', value: 1, timestamp: -1, step: 0 }),
          'INVALID_ARGUMENT',
        );
        const metrics = Array.from({ length: 1001 }, (_, i) => ({
          key: 'm',
          value: i,
          timestamp: 1,
          step: i,
        }));
        await rejectsWith(
          t().logger.logBatch(info.runId, { metrics }),
          'INVALID_ARGUMENT',
          /at most 1000 metrics/,
        );
        await rejectsWith(
          t().logger.logBatch(info.runId, {
            params: [
              { key: 'a', value: '1' },
              { key: 'a', value: '2' },
            ],
          }),
          'INVALID_ARGUMENT',
          /Duplicate parameter keys/,
        );
      });

      it('keeps the full metric history and the latest value by (step, timestamp, value)', async () => {
        const { info } = await t().runs.create({});
        const points = [
          { key: 'loss', value: 0.9, timestamp: 10, step: 0 },
          { key: 'loss', value: 0.5, timestamp: 11, step: 2 },
          { key: 'loss', value: 0.7, timestamp: 30, step: 1 },
          { key: 'loss', value: Number.NaN, timestamp: 12, step: 3 },
          { key: 'loss', value: 0.4, timestamp: 12, step: 3 },
          { key: 'inf', value: Number.POSITIVE_INFINITY, timestamp: 1, step: 0 },
        ];
        for (const m of points) await t().logger.logMetric(info.runId, m);
        const history = (await t().metrics.history(info.runId, 'loss')).items;
        assert.deepEqual(
          history.map((m) => m.step),
          [0, 1, 2, 3, 3],
        );
        assert.equal(history.filter((m) => Number.isNaN(m.value)).length, 1);
        const latest = (await t().runs.get(info.runId)).data.metrics;
        assert.deepEqual(
          latest.find((m) => m.key === 'loss'),
          { key: 'loss', value: 0.4, timestamp: 12, step: 3 },
        );
        assert.equal(latest.find((m) => m.key === 'inf')?.value, Number.POSITIVE_INFINITY);
        const paged = await t().metrics.history(info.runId, 'loss', { maxResults: 2 });
        assert.equal(paged.items.length, 2);
        const rest = await t().metrics.history(info.runId, 'loss', {
          maxResults: 10,
          pageToken: paged.nextPageToken,
        });
        assert.equal(rest.items.length, 3);
      });

      it('loses nothing under concurrent writers to one run', async () => {
        const { info } = await t().runs.create({});
        const writers = Array.from({ length: 16 }, (_, w) =>
          t().logger.logBatch(info.runId, {
            metrics: Array.from({ length: 50 }, (_, i) => ({
              key: 'acc',
              value: w * 1000 + i,
              timestamp: 5,
              step: w * 50 + i,
            })),
            params: [
              { key: `p${w}`, value: String(w) },
              { key: 'shared', value: 'same' },
            ],
            tags: [{ key: `t${w}`, value: 'x' }],
          }),
        );
        await Promise.all(writers);
        const run = await t().runs.get(info.runId);
        assert.equal((await t().metrics.history(info.runId, 'acc')).items.length, 800);
        assert.equal(run.data.params.length, 17);
        assert.equal(run.data.tags.filter((x) => /^t\d+$/.test(x.key)).length, 16);
        assert.equal(run.data.metrics.find((m) => m.key === 'acc')?.step, 799);
      });

      it('records dataset inputs for lineage', async () => {
        const { info } = await t().runs.create({});
        const dataset = {
          name: 'transactions',
          digest: 'sha256:abc',
          sourceType: 'local',
          source: 'data/tx.csv',
        };
        await t().logger.logInputs(info.runId, [
          { dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] },
        ]);
        await t().logger.logInputs(info.runId, [
          { dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] },
        ]);
        const run = await t().runs.get(info.runId);
        assert.equal(run.inputs.datasetInputs.length, 1);
        assert.deepEqual(run.inputs.datasetInputs[0]?.dataset, {
          ...dataset,
          schema: undefined,
          profile: undefined,
        });
      });
    });

    describe('search', () => {
      let experimentId: string;
      const ids: Record<string, string> = {};
      before(async () => {
        experimentId = await t().experiments.create({ name: 'search-suite' });
        const specs = [
          { name: 'alpha', acc: 0.91, lr: '0.1', model: 'tree', status: 'FINISHED' },
          { name: 'beta', acc: 0.85, lr: '0.01', model: 'Tree', status: 'FAILED' },
          { name: 'gamma', acc: undefined, lr: '0.1', model: 'linear', status: 'FINISHED' },
          { name: 'delta', acc: 0.97, lr: '0.001', model: 'mlp', status: 'RUNNING' },
        ];
        for (const s of specs) {
          const { info } = await t().runs.create({
            experimentId,
            runName: s.name,
            tags: [{ key: 'model', value: s.model }],
          });
          ids[s.name] = info.runId;
          await t().logger.logBatch(info.runId, {
            params: [{ key: 'lr', value: s.lr }],
            metrics: s.acc === undefined ? [] : [{ key: 'acc', value: s.acc, timestamp: 1, step: 0 }],
          });
          if (s.status !== 'RUNNING') await t().runs.update(info.runId, { status: s.status as 'FINISHED' });
        }
        await t().logger.logInputs(ids.alpha!, [
          {
            dataset: { name: 'train-set', digest: 'd1', sourceType: 'local', source: 'x' },
            tags: [{ key: 'mlflow.data.context', value: 'training' }],
          },
        ]);
      });
      const names = async (filter?: string, orderBy?: string[]) =>
        (await t().search.search({ experimentIds: [experimentId], filter, orderBy })).items.map(
          (r) => r.info.runName,
        );

      it('filters on metrics, params, tags, attributes and datasets', async () => {
        assert.deepEqual(await names('metrics.acc > 0.9', ['metrics.acc DESC']), ['delta', 'alpha']);
        assert.deepEqual((await names("params.lr = '0.1'")).sort(), ['alpha', 'gamma']);
        assert.deepEqual((await names("tags.model LIKE 'T%'")).sort(), ['beta']);
        assert.deepEqual((await names("tags.model ILIKE 't%'")).sort(), ['alpha', 'beta']);
        assert.deepEqual((await names("attributes.status = 'FINISHED'")).sort(), ['alpha', 'gamma']);
        assert.deepEqual(await names("run_name = 'beta'"), ['beta']);
        assert.deepEqual((await names(`attributes.run_id IN ('${ids.alpha}', '${ids.delta}')`)).sort(), [
          'alpha',
          'delta',
        ]);
        assert.deepEqual((await names("metrics.acc >= 0.85 AND params.lr != '0.001'")).sort(), [
          'alpha',
          'beta',
        ]);
        assert.deepEqual(await names("datasets.name = 'train-set' AND datasets.context = 'training'"), [
          'alpha',
        ]);
        assert.deepEqual((await names('attributes.start_time > 0')).length, 4);
      });

      it('orders by several keys with missing values last in both directions', async () => {
        assert.deepEqual(await names(undefined, ['metrics.acc ASC']), ['beta', 'alpha', 'delta', 'gamma']);
        assert.deepEqual(await names(undefined, ['metrics.acc DESC']), ['delta', 'alpha', 'beta', 'gamma']);
        assert.deepEqual(await names(undefined, ['params.lr ASC', 'attributes.run_name DESC']), [
          'delta',
          'beta',
          'gamma',
          'alpha',
        ]);
      });

      it('pages with opaque tokens and rejects bad filters', async () => {
        const first = await t().search.search({
          experimentIds: [experimentId],
          maxResults: 3,
          orderBy: ['run_name'],
        });
        assert.equal(first.items.length, 3);
        const second = await t().search.search({
          experimentIds: [experimentId],
          maxResults: 3,
          orderBy: ['run_name'],
          pageToken: first.nextPageToken,
        });
        assert.deepEqual(
          second.items.map((r) => r.info.runName),
          ['gamma'],
        );
        await rejectsWith(
          t().search.search({ experimentIds: [experimentId], filter: "params.lr > '1' OR x" }),
          'INVALID_ARGUMENT',
        );
        await rejectsWith(
          t().search.search({ experimentIds: [experimentId], filter: 'metrics.acc > high' }),
          'INVALID_ARGUMENT',
        );
        await rejectsWith(
          t().search.search({ experimentIds: [experimentId], maxResults: 50_001 }),
          'INVALID_ARGUMENT',
        );
      });
    });

    describe('sampled metric history', () => {
      it('returns at most maxPoints points and keeps the extremes', async () => {
        const { info } = await t().runs.create({});
        const metrics = Array.from({ length: 1000 }, (_, i) => ({
          key: 'wave',
          value: i === 777 ? 50 : i === 333 ? -50 : Math.sin(i / 10),
          timestamp: i,
          step: i,
        }));
        await t().logger.logBatch(info.runId, { metrics });
        const sampled = await t().metrics.sampled({ runId: info.runId, key: 'wave', maxPoints: 100 });
        assert.ok(sampled.length <= 100 && sampled.length > 10, `got ${sampled.length} points`);
        assert.ok(sampled.some((m) => m.step === 777 && m.value === 50));
        assert.ok(sampled.some((m) => m.step === 333 && m.value === -50));
        assert.equal(sampled[0]?.step, 0);
        assert.equal(sampled.at(-1)?.step, 999);
        const steps = sampled.map((m) => m.step);
        assert.deepEqual(
          steps,
          [...steps].sort((a, b) => a - b),
        );
        const window = await t().metrics.sampled({
          runId: info.runId,
          key: 'wave',
          maxPoints: 1000,
          startStep: 100,
          endStep: 199,
        });
        assert.equal(window.length, 100);
      });
    });

    describe('sampled history from rollups', () => {
      it('keeps the exact extremes of a long history, whole and in a step window', async () => {
        const { info } = await t().runs.create({});
        const n = 30_000;
        const value = (i: number) =>
          i === 12_345 ? 99 : i === 27_000 ? -99 : i === 3_000 ? 42 : Math.cos(i / 500);
        for (let start = 0; start < n; start += 1000) {
          const metrics = Array.from({ length: 1000 }, (_, j) => ({
            key: 'long',
            value: value(start + j),
            timestamp: start + j,
            step: start + j,
          }));
          // Out-of-order and NaN points must fold into the rollups too.
          if (start === 5000) metrics.reverse();
          if (start === 8000) metrics[10]!.value = Number.NaN;
          await t().logger.logBatch(info.runId, { metrics });
        }
        const sampled = await t().metrics.sampled({ runId: info.runId, key: 'long', maxPoints: 400 });
        assert.ok(sampled.length <= 400 && sampled.length > 100, `got ${sampled.length}`);
        assert.equal(sampled[0]?.step, 0);
        assert.equal(sampled.at(-1)?.step, n - 1);
        assert.ok(sampled.some((m) => m.step === 12_345 && m.value === 99));
        assert.ok(sampled.some((m) => m.step === 27_000 && m.value === -99));
        assert.ok(
          sampled.some((m) => m.step === 8010 && Number.isNaN(m.value)),
          'a NaN stays visible',
        );
        for (const m of sampled) if (!Number.isNaN(m.value)) assert.equal(m.value, value(m.step));
        const window = await t().metrics.sampled({
          runId: info.runId,
          key: 'long',
          maxPoints: 300,
          startStep: 2_999,
          endStep: 26_999,
        });
        assert.equal(window[0]?.step, 2_999);
        assert.equal(window.at(-1)?.step, 26_999);
        assert.ok(window.some((m) => m.step === 3_000 && m.value === 42));
        assert.ok(window.some((m) => m.step === 12_345));
        assert.ok(!window.some((m) => m.step === 27_000), 'points outside the window are not returned');
      });
    });

    describe('artifacts', () => {
      it('uploads, lists nested directories and downloads verified bytes', async () => {
        const { info } = await t().runs.create({});
        await t().artifacts.upload(info.runId, 'model/MLmodel', Buffer.from('flavors: {}\n'));
        await t().artifacts.upload(
          info.runId,
          'model/data/weights.bin',
          Readable.from([Buffer.alloc(1000, 7)]),
        );
        await t().artifacts.upload(info.runId, 'report.html', Buffer.from('<html></html>'));
        const root = await t().artifacts.list(info.runId);
        assert.deepEqual(
          root.map((e) => [e.path, e.isDir]),
          [
            ['model', true],
            ['report.html', false],
          ],
        );
        const model = await t().artifacts.list(info.runId, 'model');
        assert.deepEqual(
          model.map((e) => [e.path, e.isDir, e.fileSize]),
          [
            ['model/data', true, undefined],
            ['model/MLmodel', false, 12],
          ],
        );
        const file = await t().artifacts.download(info.runId, 'model/MLmodel');
        assert.equal(await text(file.stream), 'flavors: {}\n');
        await t().artifacts.upload(info.runId, 'report.html', Buffer.from('v2'));
        assert.equal(await text((await t().artifacts.download(info.runId, 'report.html')).stream), 'v2');
        await rejectsWith(t().artifacts.download(info.runId, 'missing.txt'), 'NOT_FOUND');
      });

      it('rejects paths that could escape the run root', async () => {
        const { info } = await t().runs.create({});
        for (const bad of [
          '../x',
          'a/../../x',
          '/etc/passwd',
          'a//b',
          'a/./b',
          'C:\\x',
          'a\\..\\b',
          'x\u0000y',
          '',
        ]) {
          await rejectsWith(t().artifacts.upload(info.runId, bad, Buffer.from('x')), 'INVALID_ARGUMENT');
        }
        assert.deepEqual(await t().artifacts.list(info.runId), []);
      });
    });
  });
}
