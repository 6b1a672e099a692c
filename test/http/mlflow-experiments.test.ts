// MLflow REST API 2.0 wire conformance: experiments.
// Source of the request/response shapes: https://mlflow.org/docs/latest/rest-api.html
// (Create/Get/Get By Name/Search/Delete/Restore/Update Experiment, Set/Delete Experiment Tag), the legacy
// List Experiments of https://www.mlflow.org/docs/1.24.0/rest-api.html, and reference/tracking.md §1.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  assertInt64,
  expectEmpty,
  expectError,
  expectOk,
  type MlflowCaller,
  mlflowSuites,
} from './mlflow-harness.js';

type WireExperiment = Record<string, unknown> & { experiment_id: string; name: string };

async function getExperiment(mlflow: MlflowCaller, id: string): Promise<WireExperiment> {
  return (await mlflow.read('/experiments/get', { experiment_id: id })).experiment as WireExperiment;
}

/** Follows next_page_token until the end; returns every page's names. */
async function allPages(
  fetchPage: (token: string | undefined) => Promise<Record<string, unknown>>,
): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const body = await fetchPage(token);
    pages.push(((body.experiments ?? []) as WireExperiment[]).map((e) => e.name));
    token = body.next_page_token as string | undefined;
    if (token !== undefined) assert.equal(typeof token, 'string');
  } while (token !== undefined && pages.length < 20);
  return pages;
}

await mlflowSuites('MLflow experiments', (mlflow) => {
  it('experiments/create answers {experiment_id} as a string and rejects a duplicate name with 400', async () => {
    const body = await mlflow.ok('/experiments/create', {
      name: `create-${mlflow.tag}`,
      tags: [{ key: 'team', value: 'risk' }],
    });
    assert.deepEqual(Object.keys(body), ['experiment_id']);
    assert.match(body.experiment_id as string, /^\d+$/);
    // MLflow maps RESOURCE_ALREADY_EXISTS to 400, not 409 (mlflow/exceptions.py).
    expectError(
      await mlflow.post('/experiments/create', { name: `create-${mlflow.tag}` }),
      400,
      'RESOURCE_ALREADY_EXISTS',
    );
    expectError(await mlflow.post('/experiments/create', {}), 400, 'INVALID_PARAMETER_VALUE', /name/);
    expectError(
      await mlflow.post('/experiments/create', { name: { nested: 'object' } }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/experiments/create', { name: `bad-tags-${mlflow.tag}`, tags: 'team=risk' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('experiments/get returns the documented Experiment with int64 times as numbers', async () => {
    const id = await mlflow.experiment('get', {
      artifact_location: 's3://bucket/somewhere',
      tags: [{ key: 'k', value: 'v' }],
    });
    const experiment = await getExperiment(mlflow, id);
    assert.deepEqual(Object.keys(experiment).sort(), [
      'artifact_location',
      'creation_time',
      'experiment_id',
      'last_update_time',
      'lifecycle_stage',
      'name',
      'tags',
    ]);
    assert.equal(experiment.experiment_id, id);
    assert.equal(experiment.name, `get-${mlflow.tag}`);
    assert.equal(experiment.artifact_location, 's3://bucket/somewhere');
    assert.equal(experiment.lifecycle_stage, 'active');
    assertInt64(experiment.creation_time, 'creation_time');
    assertInt64(experiment.last_update_time, 'last_update_time');
    assert.deepEqual(experiment.tags, [{ key: 'k', value: 'v' }]);
    // MLflow 2.0 removed the `runs` field from GetExperiment's response.
    const body = await mlflow.read('/experiments/get', { experiment_id: id });
    assert.deepEqual(Object.keys(body), ['experiment']);
  });

  it('omits `tags` for an experiment without tags and picks a default artifact location', async () => {
    const id = await mlflow.experiment('untagged');
    const experiment = await getExperiment(mlflow, id);
    assert.equal('tags' in experiment, false);
    assert.equal(experiment.artifact_location, `mlflow-artifacts:/${id}`);
  });

  it('experiments/get: Default experiment 0, missing id 400, unknown id 404', async () => {
    const byString = await getExperiment(mlflow, '0');
    assert.equal(byString.name, 'Default');
    assert.equal(byString.experiment_id, '0');
    expectError(await mlflow.get('/experiments/get'), 400, 'INVALID_PARAMETER_VALUE', /experiment_id/);
    expectError(
      await mlflow.get('/experiments/get', { experiment_id: '424242' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('experiments/get-by-name finds by name and answers 404 for an unknown one', async () => {
    const id = await mlflow.experiment('by-name');
    const body = await mlflow.read('/experiments/get-by-name', { experiment_name: `by-name-${mlflow.tag}` });
    assert.equal((body.experiment as WireExperiment).experiment_id, id);
    expectError(
      await mlflow.get('/experiments/get-by-name', { experiment_name: `nope-${mlflow.tag}` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(await mlflow.get('/experiments/get-by-name'), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('experiments/search (POST and GET) filters, orders and pages with round-tripping tokens', async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      await mlflow.experiment(`page-${n}`, { tags: [{ key: 'parity', value: n % 2 ? 'odd' : 'even' }] });
    }
    const filter = `name LIKE 'page-%-${mlflow.tag}'`;
    const expected = [1, 2, 3, 4, 5].map((n) => `page-${n}-${mlflow.tag}`);
    const viaPost = await allPages((token) =>
      mlflow.ok('/experiments/search', {
        filter,
        max_results: 2,
        order_by: ['name ASC'],
        ...(token ? { page_token: token } : {}),
      }),
    );
    assert.deepEqual(viaPost, [expected.slice(0, 2), expected.slice(2, 4), expected.slice(4)]);
    const viaGet = await allPages((token) =>
      mlflow.read('/experiments/search', { filter, max_results: 2, order_by: 'name ASC', page_token: token }),
    );
    assert.deepEqual(viaGet, viaPost);
    // GET: a repeated field arrives as repeated query keys.
    const ordered = await mlflow.read('/experiments/search', {
      filter,
      order_by: ['creation_time DESC', 'name ASC'],
    });
    assert.deepEqual(
      (ordered.experiments as WireExperiment[]).map((e) => e.name),
      [...expected].reverse(),
    );
    // The second key is read too: experiments order only by attributes (name, times, id), never tags.
    expectError(
      await mlflow.get('/experiments/search', { filter, order_by: ['name ASC', 'tags.parity DESC'] }),
      400,
      'INVALID_PARAMETER_VALUE',
      /order/,
    );
    const byTag = await mlflow.ok('/experiments/search', {
      filter: `${filter} AND tags.parity = 'even'`,
    });
    assert.equal((byTag.experiments as WireExperiment[]).length, 2);
    assert.equal('next_page_token' in byTag, false);
  });

  it('experiments/search answers exactly {} when nothing matches and 400 for bad input', async () => {
    const none = await mlflow.post('/experiments/search', { filter: `name = 'nothing-${mlflow.tag}'` });
    expectEmpty(none);
    expectError(
      await mlflow.post('/experiments/search', { filter: 'name ~~ 1' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/experiments/search', { view_type: 'SOMETIMES' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/experiments/search', { page_token: 'not-a-token' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.get('/experiments/search', { max_results: 'ten' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('experiments/delete and restore answer {} and drive lifecycle_stage, view_type and the runs', async () => {
    const id = await mlflow.experiment('doomed');
    const runId = await mlflow.run(id);
    expectEmpty(await mlflow.post('/experiments/delete', { experiment_id: id }));
    const deleted = await getExperiment(mlflow, id);
    assert.equal(deleted.lifecycle_stage, 'deleted');
    const run = await mlflow.read('/runs/get', { run_id: runId });
    assert.equal((run.run as { info: { lifecycle_stage: string } }).info.lifecycle_stage, 'deleted');
    const filter = `name = 'doomed-${mlflow.tag}'`;
    expectEmpty(await mlflow.post('/experiments/search', { filter }));
    for (const viewType of ['DELETED_ONLY', 'ALL', 2, 3]) {
      const found = await mlflow.ok('/experiments/search', { filter, view_type: viewType });
      assert.equal((found.experiments as WireExperiment[])[0]?.experiment_id, id, `view_type ${viewType}`);
    }
    expectEmpty(await mlflow.post('/experiments/restore', { experiment_id: id }));
    assert.equal((await getExperiment(mlflow, id)).lifecycle_stage, 'active');
    const restoredRun = await mlflow.read('/runs/get', { run_id: runId });
    assert.equal((restoredRun.run as { info: { lifecycle_stage: string } }).info.lifecycle_stage, 'active');
    expectError(
      await mlflow.post('/experiments/delete', { experiment_id: '424242' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(await mlflow.post('/experiments/restore', {}), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('experiments/update renames and answers {}; a taken name is RESOURCE_ALREADY_EXISTS', async () => {
    const id = await mlflow.experiment('rename-me');
    await mlflow.experiment('taken');
    expectEmpty(
      await mlflow.post('/experiments/update', { experiment_id: id, new_name: `renamed-${mlflow.tag}` }),
    );
    assert.equal((await getExperiment(mlflow, id)).name, `renamed-${mlflow.tag}`);
    expectError(
      await mlflow.post('/experiments/update', { experiment_id: id, new_name: `taken-${mlflow.tag}` }),
      400,
      'RESOURCE_ALREADY_EXISTS',
    );
    expectError(
      await mlflow.post('/experiments/update', { experiment_id: '424242', new_name: 'x' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('set-experiment-tag overwrites, delete-experiment-tag removes; both answer {}', async () => {
    const id = await mlflow.experiment('tagged');
    expectEmpty(
      await mlflow.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'a' }),
    );
    expectEmpty(
      await mlflow.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'b' }),
    );
    assert.deepEqual((await getExperiment(mlflow, id)).tags, [{ key: 'stage', value: 'b' }]);
    expectEmpty(await mlflow.post('/experiments/delete-experiment-tag', { experiment_id: id, key: 'stage' }));
    assert.equal('tags' in (await getExperiment(mlflow, id)), false);
    expectError(
      await mlflow.post('/experiments/delete-experiment-tag', { experiment_id: id, key: 'stage' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.post('/experiments/set-experiment-tag', {
        experiment_id: id,
        key: 'bad key!',
        value: 'x',
      }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/experiments/set-experiment-tag', { experiment_id: id, value: 'x' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /key/,
    );
  });

  it('legacy experiments/list (MLflow 1.x) lists experiments, honouring view_type', async () => {
    const id = await mlflow.experiment('listed');
    const gone = await mlflow.experiment('listed-deleted');
    expectEmpty(await mlflow.post('/experiments/delete', { experiment_id: gone }));
    const active = expectOk(await mlflow.get('/experiments/list'));
    const activeIds = (active.experiments as WireExperiment[]).map((e) => e.experiment_id);
    assert.ok(activeIds.includes('0') && activeIds.includes(id));
    assert.equal(activeIds.includes(gone), false);
    const deleted = await mlflow.read('/experiments/list', { view_type: 'DELETED_ONLY' });
    assert.ok((deleted.experiments as WireExperiment[]).some((e) => e.experiment_id === gone));
    const all = await mlflow.read('/experiments/list', { view_type: 'ALL' });
    const allIds = (all.experiments as WireExperiment[]).map((e) => e.experiment_id);
    assert.ok(allIds.includes(gone) && allIds.includes(id));
  });
});
