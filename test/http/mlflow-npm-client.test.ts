// Black-box conformance with a third-party client: the npm package `mlflow` 2.0.7 (GitHub yuhsak/mlflow,
// an MLflow 1.x-era Node client; reference/tracking.md §4), driving a real listening Osprey server. The
// client calls `${endpoint}/api/2.0/mlflow/...`, sends run_uuid beside run_id, uses the legacy
// experiments/list, accepts only status 200, and console.logs every write body (captured here to check
// exactly what went over the wire).
import assert from 'node:assert/strict';
import { after, before, it, mock } from 'node:test';
import mlflowPackage from 'mlflow';
import { RunStatus, ViewType } from 'mlflow/enum.js';
import { mlflowSuites } from './mlflow-harness.js';

// The package's index.js sets module.exports to the class; its typings describe an ES default export.
const MLflow = mlflowPackage as unknown as typeof mlflowPackage.default;
type Client = InstanceType<typeof MLflow>;

/** Experiments.create's typings demand artifact_location; MLflow makes it optional (the server picks one). */
const named = (name: string) => ({ name, artifact_location: undefined as unknown as string });

/** The client rethrows `Error(JSON.stringify({status, statusText, data}))` wrapped in another Error. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const text = (error as Error).message.replace(/^Error: /, '');
    return JSON.parse(text) as { status: number; data: Record<string, unknown> };
  }
  assert.fail('the client call was expected to fail');
}

await mlflowSuites(
  'npm mlflow 2.0.7 client',
  (server) => {
    let client: Client;
    let sent: unknown[];
    let restoreLog: () => void;
    before(async () => {
      client = new MLflow({ endpoint: await server.baseUrl() });
      const logMock = mock.method(console, 'log', (...args: unknown[]) => {
        sent.push(JSON.parse(String(args[0])));
      });
      restoreLog = () => logMock.mock.restore();
    });
    after(() => restoreLog?.());

    it('runs a whole experiment lifecycle through the client', async () => {
      sent = [];
      const name = `npm-client-${Date.now()}`;
      const created = await client.Experiments.create(named(name));
      assert.match(created.experiment_id, /^\d+$/);
      const experimentId: string = created.experiment_id;
      assert.deepEqual(sent.at(-1), { name });

      const listed = await client.Experiments.list();
      assert.ok(listed.experiments.some((e: { name: string }) => e.name === name));
      const got = await client.Experiments.get({ experiment_id: experimentId });
      assert.equal(got.experiment.name, name);
      assert.equal(got.experiment.lifecycle_stage, 'active');

      const runReply = await client.Runs.create({
        experiment_id: experimentId,
        user_id: 'npm-user',
        start_time: 1_700_000_000_000,
        tags: [{ key: 'source', value: 'npm' }],
      });
      const runId: string = runReply.run.info.run_id;
      // run_uuid is not in the client's (1.x-era) typings, but MLflow 2 still sends the duplicate.
      assert.equal((runReply.run.info as unknown as { run_uuid: string }).run_uuid, runId);
      assert.equal(runReply.run.info.user_id, 'npm-user');
      assert.equal(runReply.run.info.start_time, 1_700_000_000_000);

      assert.deepEqual(
        await client.Runs.logMetric({ run_id: runId, key: 'loss', value: 0.9, timestamp: 1000, step: 0 }),
        {},
      );
      assert.deepEqual(sent.at(-1), {
        run_id: runId,
        run_uuid: runId,
        key: 'loss',
        value: 0.9,
        timestamp: 1000,
        step: 0,
      });
      assert.deepEqual(await client.Runs.logParameter({ run_id: runId, key: 'lr', value: '0.01' }), {});
      assert.deepEqual(
        await client.Runs.logBatch({
          run_id: runId,
          metrics: [
            { key: 'loss', value: 0.5, timestamp: 2000, step: 1 },
            { key: 'loss', value: 0.25, timestamp: 3000, step: 2 },
          ],
          params: [{ key: 'epochs', value: '3' }],
          tags: [{ key: 'phase', value: 'train' }],
        }),
        {},
      );
      assert.deepEqual(await client.Runs.setTag({ run_id: runId, key: 'note', value: 'hello' }), {});
      assert.deepEqual(await client.Runs.deleteTag({ run_id: runId, key: 'phase' }), {});

      const run = (await client.Runs.get({ run_id: runId })).run;
      assert.deepEqual(run.data.metrics, [{ key: 'loss', value: 0.25, timestamp: 3000, step: 2 }]);
      assert.deepEqual(run.data.params, [
        { key: 'epochs', value: '3' },
        { key: 'lr', value: '0.01' },
      ]);
      const tags = Object.fromEntries(
        run.data.tags.map((t: { key: string; value: string }) => [t.key, t.value]),
      );
      assert.equal(tags.note, 'hello');
      assert.equal(tags.source, 'npm');
      assert.equal('phase' in tags, false);

      const history = await client.Metrics.getHistory({ run_id: runId, metric_key: 'loss' });
      assert.deepEqual(
        history.metrics.map((m: { step: number; value: number }) => [m.step, m.value]),
        [
          [0, 0.9],
          [1, 0.5],
          [2, 0.25],
        ],
      );

      const found = await client.Runs.search({
        experiment_ids: [experimentId],
        filter: "metrics.loss < 0.5 AND params.lr = '0.01'",
        run_view_type: ViewType.ACTIVE_ONLY,
        max_results: 10,
        order_by: ['metrics.loss ASC'],
      });
      assert.deepEqual(
        found.runs.map((r: { info: { run_id: string } }) => r.info.run_id),
        [runId],
      );

      const updated = await client.Runs.update({
        run_id: runId,
        status: RunStatus.FINISHED,
        end_time: 1_700_000_100_000,
      });
      assert.equal(updated.run_info.status, 'FINISHED');
      assert.equal(updated.run_info.end_time, 1_700_000_100_000);

      // Upload through the artifact proxy (the client cannot upload), then list through the client.
      const put = await fetch(
        `${await server.baseUrl()}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/MLmodel`,
        { method: 'PUT', body: 'flavors: {}\n' },
      );
      assert.equal(put.status, 200);
      const artifacts = await client.Artifacts.list({ run_id: runId, path: undefined as unknown as string });
      assert.equal(artifacts.root_uri, `mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
      assert.deepEqual(artifacts.files, [{ path: 'model', is_dir: true }]);
      const inModel = await client.Artifacts.list({ run_id: runId, path: 'model' });
      assert.deepEqual(inModel.files, [{ path: 'model/MLmodel', is_dir: false, file_size: 12 }]);

      assert.deepEqual(await client.Runs.delete({ run_id: runId }), {});
      assert.equal((await client.Runs.get({ run_id: runId })).run.info.lifecycle_stage, 'deleted');
      const deletedRuns = await client.Runs.search({
        experiment_ids: [experimentId],
        run_view_type: ViewType.DELETED_ONLY,
      });
      assert.equal(deletedRuns.runs.length, 1);
      assert.deepEqual(await client.Runs.restore({ run_id: runId }), {});
      assert.equal((await client.Runs.get({ run_id: runId })).run.info.lifecycle_stage, 'active');

      assert.deepEqual(
        await client.Experiments.update({ experiment_id: experimentId, new_name: `${name}-v2` }),
        {},
      );
      assert.deepEqual(await client.Experiments.delete({ experiment_id: experimentId }), {});
      const deleted = await client.Experiments.list({ view_type: ViewType.DELETED_ONLY });
      assert.ok(deleted.experiments.some((e: { name: string }) => e.name === `${name}-v2`));
      assert.deepEqual(await client.Experiments.restore({ experiment_id: experimentId }), {});
      assert.equal(
        (await client.Experiments.get({ experiment_id: experimentId })).experiment.lifecycle_stage,
        'active',
      );
    });

    it('surfaces MLflow errors through the client as non-200 statuses with {error_code, message}', async () => {
      sent = [];
      const name = `npm-dup-${Date.now()}`;
      await client.Experiments.create(named(name));
      const duplicate = await failure(client.Experiments.create(named(name)));
      assert.equal(duplicate.status, 400);
      assert.equal(duplicate.data.error_code, 'RESOURCE_ALREADY_EXISTS');
      const missing = await failure(client.Runs.get({ run_id: '0123456789abcdef0123456789abcdef' }));
      assert.equal(missing.status, 404);
      assert.equal(missing.data.error_code, 'RESOURCE_DOES_NOT_EXIST');
      const badMetric = await failure(
        client.Runs.logMetric({
          run_id: '0123456789abcdef0123456789abcdef',
          key: 'm',
          value: 1,
          timestamp: -5,
          step: 0,
        }),
      );
      assert.equal(badMetric.status, 400);
    });

    it('setExperimentTag cannot work: the client drops a slash and the honest answer is 404 ENDPOINT_NOT_FOUND', async () => {
      sent = [];
      const { experiment_id } = await client.Experiments.create(named(`npm-tag-${Date.now()}`));
      // mlflow@2.0.7 src/experiments.ts calls req('post', 'set-experiment-tag', ...), so the URL becomes
      // /api/2.0/mlflow/experimentsset-experiment-tag. No MLflow server has that route; neither does Osprey.
      const result = await failure(
        client.Experiments.setExperimentTag({ experiment_id, key: 'k', value: 'v' }),
      );
      assert.equal(result.status, 404);
      assert.equal(result.data.error_code, 'ENDPOINT_NOT_FOUND');
      assert.match(String(result.data.message), /experimentsset-experiment-tag/);
      assert.deepEqual(sent.at(-1), { experiment_id, key: 'k', value: 'v' });
      const experiment = (await client.Experiments.get({ experiment_id })).experiment;
      assert.equal('tags' in experiment, false);
    });
  },
  { prefixes: ['/api/2.0/mlflow'] },
);
