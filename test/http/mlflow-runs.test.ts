// MLflow REST API 2.0 wire conformance: runs (create, get, update, delete, restore, tags, search).
// Source of the request/response shapes: https://mlflow.org/docs/latest/rest-api.html
// (Create/Get/Update/Delete/Restore Run, Set/Delete Tag, Search Runs; Run, RunInfo, RunData, RunTag) and
// reference/tracking.md §1-2 (legacy run_uuid, numeric experiment_id, omitted empty fields, filter grammar).
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

interface WireRun {
  info: Record<string, unknown> & { run_id: string; lifecycle_stage: string; status: string };
  data?: {
    metrics?: { key: string; value: unknown }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
  inputs?: unknown;
}

const UNKNOWN_RUN = '0123456789abcdef0123456789abcdef';

async function getRun(mlflow: MlflowCaller, runId: string): Promise<WireRun> {
  return (await mlflow.read('/runs/get', { run_id: runId })).run as WireRun;
}

async function searchIds(mlflow: MlflowCaller, body: Record<string, unknown>): Promise<string[]> {
  const reply = await mlflow.ok('/runs/search', body);
  return ((reply.runs ?? []) as WireRun[]).map((r) => r.info.run_id);
}

await mlflowSuites('MLflow runs', (mlflow) => {
  it('runs/create answers {run} with the documented RunInfo, run_uuid duplicating run_id', async () => {
    const experimentId = await mlflow.experiment('runs-create');
    const body = await mlflow.ok('/runs/create', {
      experiment_id: experimentId,
      run_name: 'first',
      user_id: 'ada',
      start_time: 1_600_000_000_123,
      tags: [{ key: 'team', value: 'risk' }],
    });
    assert.deepEqual(Object.keys(body), ['run']);
    const run = body.run as WireRun;
    assert.deepEqual(Object.keys(run).sort(), ['data', 'info']);
    assert.deepEqual(Object.keys(run.info).sort(), [
      'artifact_uri',
      'experiment_id',
      'lifecycle_stage',
      'run_id',
      'run_name',
      'run_uuid',
      'start_time',
      'status',
      'user_id',
    ]);
    assert.match(run.info.run_id, /^[0-9a-f]{32}$/);
    assert.equal(run.info.run_uuid, run.info.run_id);
    assert.equal(run.info.run_name, 'first');
    assert.equal(run.info.experiment_id, experimentId);
    assert.equal(run.info.user_id, 'ada');
    assert.equal(run.info.status, 'RUNNING');
    assert.equal(run.info.lifecycle_stage, 'active');
    assert.equal(run.info.start_time, 1_600_000_000_123);
    assert.equal(run.info.artifact_uri, `mlflow-artifacts:/${experimentId}/${run.info.run_id}/artifacts`);
    // Nothing logged yet: no metrics/params keys, no end_time, no inputs.
    assert.deepEqual(Object.keys(run.data ?? {}), ['tags']);
    assert.deepEqual(run.data?.tags, [
      { key: 'mlflow.runName', value: 'first' },
      { key: 'team', value: 'risk' },
    ]);
  });

  it('runs/create accepts the legacy numeric experiment_id 0 and defaults to the Default experiment', async () => {
    const numeric = await mlflow.ok('/runs/create', { experiment_id: 0 });
    assert.equal((numeric.run as WireRun).info.experiment_id, '0');
    const defaulted = await mlflow.ok('/runs/create', {});
    const info = (defaulted.run as WireRun).info;
    assert.equal(info.experiment_id, '0');
    assertInt64(info.start_time, 'start_time');
    assert.equal(typeof info.run_name, 'string');
    expectError(
      await mlflow.post('/runs/create', { experiment_id: '424242' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.post('/runs/create', { start_time: 'yesterday' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('runs/get reads by run_id or the legacy run_uuid; 400 without an id, 404 for an unknown one', async () => {
    const runId = await mlflow.run();
    const byId = await getRun(mlflow, runId);
    const byUuid = (await mlflow.read('/runs/get', { run_uuid: runId })).run as WireRun;
    assert.deepEqual(byUuid, byId);
    expectError(await mlflow.get('/runs/get'), 400, 'INVALID_PARAMETER_VALUE', /run_id/);
    expectError(await mlflow.get('/runs/get', { run_id: UNKNOWN_RUN }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('runs/update answers {run_info} with status as a string and end_time as a number', async () => {
    const runId = await mlflow.run();
    const body = await mlflow.ok('/runs/update', {
      run_id: runId,
      status: 'FINISHED',
      end_time: 1_700_000_999_000,
      run_name: 'renamed',
    });
    assert.deepEqual(Object.keys(body), ['run_info']);
    const info = body.run_info as WireRun['info'];
    assert.equal(info.status, 'FINISHED');
    assert.equal(info.end_time, 1_700_000_999_000);
    assert.equal(info.run_name, 'renamed');
    assert.equal(info.run_uuid, runId);
    const tags = (await getRun(mlflow, runId)).data?.tags ?? [];
    assert.ok(tags.some((t) => t.key === 'mlflow.runName' && t.value === 'renamed'));
    // Legacy clients send only run_uuid; proto JSON also allows an enum by number (KILLED = 5).
    const legacy = await mlflow.ok('/runs/update', { run_uuid: runId, status: 5 });
    assert.equal((legacy.run_info as WireRun['info']).status, 'KILLED');
    expectError(
      await mlflow.post('/runs/update', { run_id: runId, status: 'EXPLODED' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/runs/update', { run_id: runId, end_time: 'later' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(await mlflow.post('/runs/update', { run_id: UNKNOWN_RUN }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('runs/delete and restore answer {}; a deleted run refuses writes until restored', async () => {
    const runId = await mlflow.run();
    expectEmpty(await mlflow.post('/runs/delete', { run_id: runId }));
    assert.equal((await getRun(mlflow, runId)).info.lifecycle_stage, 'deleted');
    expectError(
      await mlflow.post('/runs/set-tag', { run_id: runId, key: 'k', value: 'v' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /active/,
    );
    expectEmpty(await mlflow.post('/runs/restore', { run_uuid: runId }));
    assert.equal((await getRun(mlflow, runId)).info.lifecycle_stage, 'active');
    expectEmpty(await mlflow.post('/runs/set-tag', { run_id: runId, key: 'k', value: 'v' }));
    expectError(await mlflow.post('/runs/delete', { run_id: UNKNOWN_RUN }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await mlflow.post('/runs/restore', {}), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('runs/set-tag overwrites and runs/delete-tag removes (run_id or legacy run_uuid); both answer {}', async () => {
    const runId = await mlflow.run();
    expectEmpty(await mlflow.post('/runs/set-tag', { run_id: runId, key: 'stage', value: 'a' }));
    expectEmpty(await mlflow.post('/runs/set-tag', { run_uuid: runId, key: 'stage', value: 'b' }));
    const tagged = (await getRun(mlflow, runId)).data?.tags ?? [];
    assert.deepEqual(
      tagged.filter((t) => t.key === 'stage'),
      [{ key: 'stage', value: 'b' }],
    );
    expectEmpty(await mlflow.post('/runs/delete-tag', { run_id: runId, key: 'stage' }));
    expectEmpty(await mlflow.post('/runs/set-tag', { run_id: runId, key: 'stage', value: 'c' }));
    expectEmpty(await mlflow.post('/runs/delete-tag', { run_uuid: runId, key: 'stage' }));
    const untagged = (await getRun(mlflow, runId)).data?.tags ?? [];
    assert.equal(
      untagged.some((t) => t.key === 'stage'),
      false,
    );
    expectError(
      await mlflow.post('/runs/delete-tag', { run_id: runId, key: 'stage' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.post('/runs/set-tag', { run_id: runId, key: '../escape', value: 'x' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/runs/set-tag', { run_id: runId, key: ['a', 'b'], value: 'x' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('runs/search filters on metrics, params, tags and attributes and orders as asked', async () => {
    const experimentId = await mlflow.experiment('search');
    const runs: string[] = [];
    for (const [i, lr] of ['0.1', '0.01', '0.001'].entries()) {
      const runId = await mlflow.run(experimentId, { run_name: `r${i}` });
      await mlflow.ok('/runs/log-batch', {
        run_id: runId,
        metrics: [{ key: 'rmse', value: 1 - i * 0.25, timestamp: 1, step: 0 }],
        params: [{ key: 'lr', value: lr }],
        tags: [{ key: 'kind', value: i === 1 ? 'odd' : 'even' }],
      });
      runs.push(runId);
    }
    assert.deepEqual(
      await searchIds(mlflow, {
        experiment_ids: [experimentId],
        filter: 'metrics.rmse < 0.9',
        order_by: ['metrics.rmse ASC'],
      }),
      [runs[2], runs[1]],
    );
    assert.deepEqual(
      await searchIds(mlflow, { experiment_ids: [experimentId], filter: "params.lr = '0.01'" }),
      [runs[1]],
    );
    assert.deepEqual(
      await searchIds(mlflow, {
        experiment_ids: [experimentId],
        filter: "tags.kind = 'even' AND attributes.run_name = 'r2'",
      }),
      [runs[2]],
    );
    assert.deepEqual(
      await searchIds(mlflow, { experiment_ids: [experimentId], order_by: ['params.lr DESC'] }),
      [runs[0], runs[1], runs[2]],
    );
    const one = await mlflow.ok('/runs/search', { experiment_ids: [experimentId], max_results: 1 });
    const run = (one.runs as WireRun[])[0] as WireRun;
    assert.deepEqual(Object.keys(run.data ?? {}).sort(), ['metrics', 'params', 'tags']);
    const [first] = (run.data?.metrics ?? []) as unknown as { timestamp: unknown }[];
    assertInt64(first?.timestamp, 'metric timestamp');
  });

  it('runs/search pages with round-tripping tokens, reads legacy numeric ids and honours run_view_type', async () => {
    const experimentId = await mlflow.experiment('search-pages');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(await mlflow.run(experimentId, { start_time: 1000 + i }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await mlflow.ok('/runs/search', {
        experiment_ids: [Number(experimentId)],
        max_results: 2,
        ...(token ? { page_token: token } : {}),
      });
      seen.push(...((body.runs ?? []) as WireRun[]).map((r) => r.info.run_id));
      token = body.next_page_token as string | undefined;
      pages++;
    } while (token && pages < 10);
    assert.equal(pages, 3);
    // Default order: start_time DESC.
    assert.deepEqual(seen, [...created].reverse());
    expectEmpty(await mlflow.post('/runs/delete', { run_id: created[0] }));
    const active = await searchIds(mlflow, { experiment_ids: [experimentId] });
    assert.equal(active.includes(created[0] as string), false);
    const deleted = await searchIds(mlflow, {
      experiment_ids: [experimentId],
      run_view_type: 'DELETED_ONLY',
    });
    assert.deepEqual(deleted, [created[0]]);
    const all = await searchIds(mlflow, { experiment_ids: [experimentId], run_view_type: 'ALL' });
    assert.equal(all.length, 5);
    // GET form: a repeated field as repeated query keys.
    const other = await mlflow.experiment('search-pages-other');
    const otherRun = await mlflow.run(other);
    const both = expectOk(
      await mlflow.get('/runs/search', { experiment_ids: [experimentId, other], max_results: 10 }),
    );
    assert.equal((both.runs as WireRun[]).length, 5);
    assert.ok((both.runs as WireRun[]).some((r) => r.info.run_id === otherRun));
  });

  it('runs/search answers exactly {} when nothing matches and 400 for a bad filter, order or token', async () => {
    const experimentId = await mlflow.experiment('search-empty');
    expectEmpty(await mlflow.post('/runs/search', { experiment_ids: [experimentId] }));
    for (const body of [
      { filter: 'params.lr > 0.1' },
      { filter: 'metrics.rmse < 1 OR metrics.rmse > 2' },
      { order_by: ['metrics.rmse SIDEWAYS'] },
      { page_token: 'bogus' },
      { max_results: 50_001 },
      { run_view_type: 'SOME' },
      { experiment_ids: [{ id: 1 }] },
    ]) {
      expectError(
        await mlflow.post('/runs/search', { experiment_ids: [experimentId], ...body }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    }
  });
});
