// MLflow REST API 2.0 wire conformance: logging and reading metrics, params, tags, inputs and models.
// Source of the request/response shapes and limits: https://mlflow.org/docs/latest/rest-api.html
// (Log Metric, Log Param, Log Batch with its "Request Limits", Log Inputs, Log Model, Get Metric History,
// List Artifacts), reference/tracking.md §1 (limits from mlflow/utils/validation.py; NaN/±Inf allowed) and,
// for the undocumented UI sampling RPC get-history-bulk-interval, mlflow/server/handlers.py.
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

interface WireMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
  run_id?: string;
}
interface WireRun {
  info: { run_id: string };
  data?: {
    metrics?: WireMetric[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
  inputs?: { dataset_inputs?: unknown[] };
}

async function getRun(mlflow: MlflowCaller, runId: string): Promise<WireRun> {
  return (await mlflow.read('/runs/get', { run_id: runId })).run as WireRun;
}

async function history(mlflow: MlflowCaller, runId: string, key: string): Promise<WireMetric[]> {
  const body = await mlflow.read('/metrics/get-history', { run_id: runId, metric_key: key });
  return (body.metrics ?? []) as WireMetric[];
}

const metric = (key: string, value: unknown, step = 0, timestamp = 1_000) => ({
  key,
  value,
  timestamp,
  step,
});

await mlflowSuites('MLflow logging', (mlflow) => {
  it('runs/log-metric appends points; the run shows the latest per key; history shows every point', async () => {
    const runId = await mlflow.run();
    expectEmpty(await mlflow.post('/runs/log-metric', { run_id: runId, ...metric('loss', 1.5, 0, 10) }));
    expectEmpty(await mlflow.post('/runs/log-metric', { run_id: runId, ...metric('loss', 0.5, 1, 20) }));
    // Legacy run_uuid only, step omitted (defaults to 0), numeric string value (proto JSON allows it).
    expectEmpty(
      await mlflow.post('/runs/log-metric', { run_uuid: runId, key: 'acc', value: '0.25', timestamp: 30 }),
    );
    const run = await getRun(mlflow, runId);
    assert.deepEqual(run.data?.metrics, [
      { key: 'acc', value: 0.25, timestamp: 30, step: 0 },
      { key: 'loss', value: 0.5, timestamp: 20, step: 1 },
    ]);
    const points = await history(mlflow, runId, 'loss');
    assert.deepEqual(points, [
      { key: 'loss', value: 1.5, timestamp: 10, step: 0 },
      { key: 'loss', value: 0.5, timestamp: 20, step: 1 },
    ]);
    for (const point of points) {
      assertInt64(point.timestamp, 'timestamp');
      assertInt64(point.step, 'step');
    }
  });

  it('NaN and ±Infinity are accepted as strings or bare JSON tokens and printed as proto JSON strings', async () => {
    const runId = await mlflow.run();
    for (const value of ['NaN', 'Infinity', '-Infinity']) {
      expectEmpty(await mlflow.post('/runs/log-metric', { run_id: runId, ...metric(`s-${value}`, value) }));
    }
    // Python's json module (MLflow's server parser) reads bare NaN/Infinity tokens; so does Osprey.
    for (const token of ['NaN', 'Infinity', '-Infinity']) {
      const reply = await mlflow.inject({
        method: 'POST',
        url: `${mlflow.prefix}/runs/log-metric`,
        headers: { 'content-type': 'application/json' },
        payload: `{"run_id": "${runId}", "key": "t-${token}", "value": ${token}, "timestamp": 5, "step": 0}`,
      });
      expectEmpty(reply);
    }
    const byKey = new Map((await getRun(mlflow, runId)).data?.metrics?.map((m) => [m.key, m.value]));
    assert.deepEqual(Object.fromEntries(byKey), {
      's--Infinity': '-Infinity',
      's-Infinity': 'Infinity',
      's-NaN': 'NaN',
      't--Infinity': '-Infinity',
      't-Infinity': 'Infinity',
      't-NaN': 'NaN',
    });
    assert.deepEqual(
      (await history(mlflow, runId, 't-NaN')).map((m) => m.value),
      ['NaN'],
    );
  });

  it('runs/log-metric rejects wrong types with 400 INVALID_PARAMETER_VALUE', async () => {
    const runId = await mlflow.run();
    for (const bad of [
      { key: 'm', value: 'not-a-number', timestamp: 1 },
      { key: 'm', value: true, timestamp: 1 },
      { key: 'm', value: { v: 1 }, timestamp: 1 },
      { key: 'm', value: 1 },
      { key: 'm', value: 1, timestamp: 'soon' },
      { key: 'm', value: 1, timestamp: 1, step: 1.5 },
      { key: { name: 'm' }, value: 1, timestamp: 1 },
      { key: 'bad key!', value: 1, timestamp: 1 },
      { value: 1, timestamp: 1 },
    ]) {
      expectError(
        await mlflow.post('/runs/log-metric', { run_id: runId, ...bad }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    }
    expectError(
      await mlflow.post('/runs/log-metric', {
        run_id: '0123456789abcdef0123456789abcdef',
        ...metric('m', 1),
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    assert.equal('metrics' in ((await getRun(mlflow, runId)).data ?? {}), false);
  });

  it('runs/log-parameter is idempotent for the same value and 400 for a different one', async () => {
    const runId = await mlflow.run();
    expectEmpty(await mlflow.post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' }));
    expectEmpty(await mlflow.post('/runs/log-parameter', { run_uuid: runId, key: 'lr', value: '0.1' }));
    expectError(
      await mlflow.post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Changing param values is not allowed/,
    );
    expectError(
      await mlflow.post('/runs/log-parameter', { run_id: runId, key: { k: 1 }, value: 'x' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/runs/log-parameter', { run_id: runId, key: 'long', value: 'x'.repeat(6001) }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    assert.deepEqual((await getRun(mlflow, runId)).data?.params, [{ key: 'lr', value: '0.1' }]);
  });

  it('runs/log-batch writes metrics, params and tags and answers {}', async () => {
    const runId = await mlflow.run();
    expectEmpty(
      await mlflow.post('/runs/log-batch', {
        run_uuid: runId,
        metrics: [metric('m', 1, 0, 1), metric('m', 2, 1, 2), metric('m', 3, 2, 3)],
        params: [
          { key: 'a', value: '1' },
          { key: 'a', value: '1' },
        ],
        tags: [
          { key: 't', value: 'first' },
          { key: 't', value: 'last' },
        ],
        unknown_field: { ignored: true },
      }),
    );
    const run = await getRun(mlflow, runId);
    assert.deepEqual(run.data?.metrics, [{ key: 'm', value: 3, timestamp: 3, step: 2 }]);
    assert.deepEqual(run.data?.params, [{ key: 'a', value: '1' }]);
    assert.ok(run.data?.tags?.some((t) => t.key === 't' && t.value === 'last'));
    assert.deepEqual(
      (await history(mlflow, runId, 'm')).map((m) => m.value),
      [1, 2, 3],
    );
    expectEmpty(await mlflow.post('/runs/log-batch', { run_id: runId }));
  });

  it('runs/log-batch enforces MLflow limits: 1000 metrics, 100 params, 100 tags, 1000 in total', async () => {
    const runId = await mlflow.run();
    const metrics = (n: number) => Array.from({ length: n }, (_, i) => metric('bulk', i, i, i));
    const entries = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));
    expectEmpty(await mlflow.post('/runs/log-batch', { run_id: runId, metrics: metrics(1000) }));
    expectEmpty(await mlflow.post('/runs/log-batch', { run_id: runId, params: entries('p', 100) }));
    expectEmpty(await mlflow.post('/runs/log-batch', { run_id: runId, tags: entries('t', 100) }));
    assert.equal((await history(mlflow, runId, 'bulk')).length, 1000);
    const other = await mlflow.run();
    for (const [body, message] of [
      [{ metrics: metrics(1001) }, /at most 1000 metrics/],
      [{ params: entries('q', 101) }, /at most 100 params/],
      [{ tags: entries('u', 101) }, /at most 100 tags/],
      [{ metrics: metrics(950), params: entries('q', 60) }, /1000/],
    ] as const) {
      expectError(
        await mlflow.post('/runs/log-batch', { run_id: other, ...body }),
        400,
        'INVALID_PARAMETER_VALUE',
        message,
      );
    }
    assert.equal('metrics' in ((await getRun(mlflow, other)).data ?? {}), false);
  });

  it('runs/log-batch bodies over 1 MB answer 413 with an MLflow error body; bad entries write nothing', async () => {
    const runId = await mlflow.run();
    const huge = JSON.stringify({ run_id: runId, tags: [{ key: 'big', value: 'x'.repeat(1_000_100) }] });
    const tooLarge = await mlflow.inject({
      method: 'POST',
      url: `${mlflow.prefix}/runs/log-batch`,
      headers: { 'content-type': 'application/json' },
      payload: huge,
    });
    expectError(tooLarge, 413, 'INVALID_PARAMETER_VALUE');
    // Just under the limit the body is read, and the over-long tag value is refused on its own terms.
    const under = JSON.stringify({ run_id: runId, tags: [{ key: 'big', value: 'x'.repeat(990_000) }] });
    expectError(
      await mlflow.inject({
        method: 'POST',
        url: `${mlflow.prefix}/runs/log-batch`,
        headers: { 'content-type': 'application/json' },
        payload: under,
      }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/runs/log-batch', {
        run_id: runId,
        params: [{ key: 'kept', value: '1' }],
        metrics: [metric('ok', 1), metric('bad', 'NaNa')],
      }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/runs/log-batch', {
        run_id: runId,
        params: [
          { key: 'dup', value: '1' },
          { key: 'dup', value: '2' },
        ],
      }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Duplicate parameter keys/,
    );
    expectError(
      await mlflow.post('/runs/log-batch', { run_id: runId, metrics: { key: 'm' } }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    const data = (await getRun(mlflow, runId)).data ?? {};
    assert.equal('metrics' in data || 'params' in data, false);
  });

  it('runs/log-inputs records datasets, shown under inputs.dataset_inputs in snake_case', async () => {
    const runId = await mlflow.run();
    const dataset = {
      name: 'iris',
      digest: 'abc123',
      source_type: 'local',
      source: '{"uri": "/data/iris.csv"}',
      schema: '{"mlflow_colspec": []}',
    };
    expectEmpty(
      await mlflow.post('/runs/log-inputs', {
        run_id: runId,
        datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }],
      }),
    );
    const run = await getRun(mlflow, runId);
    assert.deepEqual(run.inputs, {
      dataset_inputs: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }],
    });
    expectError(
      await mlflow.post('/runs/log-inputs', {
        run_id: runId,
        datasets: [{ dataset: { name: 'x', source_type: 'local', source: 's' } }],
      }),
      400,
      'INVALID_PARAMETER_VALUE',
      /digest/,
    );
    expectError(
      await mlflow.post('/runs/log-inputs', { run_id: runId, datasets: [{ tags: [] }] }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('runs/log-model appends the MLmodel JSON to mlflow.log-model.history; malformed JSON is 400', async () => {
    const runId = await mlflow.run();
    const model = {
      artifact_path: 'model',
      flavors: { python_function: { loader_module: 'mlflow.sklearn' } },
      utc_time_created: '2024-01-15 10:30:45.123456',
      run_id: runId,
    };
    expectEmpty(await mlflow.post('/runs/log-model', { run_id: runId, model_json: JSON.stringify(model) }));
    const second = { ...model, artifact_path: 'model2' };
    expectEmpty(
      await mlflow.post('/runs/log-model', { run_uuid: runId, model_json: JSON.stringify(second) }),
    );
    const tag = (await getRun(mlflow, runId)).data?.tags?.find((t) => t.key === 'mlflow.log-model.history');
    assert.deepEqual(JSON.parse(tag?.value ?? 'null'), [model, second]);
    expectError(
      await mlflow.post('/runs/log-model', { run_id: runId, model_json: '{not json' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /Malformed model info/,
    );
    expectError(
      await mlflow.post('/runs/log-model', { run_id: runId, model_json: '{"artifact_path": "m"}' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /missing mandatory fields/,
    );
    expectError(await mlflow.post('/runs/log-model', { run_id: runId }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('metrics/get-history pages with max_results and round-tripping tokens; unknown key is {}', async () => {
    const runId = await mlflow.run();
    await mlflow.ok('/runs/log-batch', {
      run_id: runId,
      metrics: Array.from({ length: 5 }, (_, i) => metric('h', i * 10, i, 100 + i)),
    });
    const steps: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await mlflow.read('/metrics/get-history', {
        run_uuid: runId,
        metric_key: 'h',
        max_results: 2,
        page_token: token,
      });
      steps.push(...(body.metrics as WireMetric[]).map((m) => m.step));
      token = body.next_page_token as string | undefined;
      pages++;
    } while (token && pages < 10);
    assert.deepEqual(steps, [0, 1, 2, 3, 4]);
    assert.equal(pages, 3);
    const whole = await mlflow.read('/metrics/get-history', { run_id: runId, metric_key: 'h' });
    assert.deepEqual(Object.keys(whole), ['metrics']);
    expectEmpty(await mlflow.get('/metrics/get-history', { run_id: runId, metric_key: 'never-logged' }));
    expectError(await mlflow.get('/metrics/get-history', { run_id: runId }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(
      await mlflow.get('/metrics/get-history', { run_id: runId, metric_key: 'h', max_results: 25_001 }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('metrics/get-history-bulk-interval samples several runs (repeated run_ids keys), tagging each point', async () => {
    const runs = [await mlflow.run(), await mlflow.run()];
    for (const [r, runId] of runs.entries()) {
      await mlflow.ok('/runs/log-batch', {
        run_id: runId,
        metrics: Array.from({ length: 100 }, (_, i) => metric('curve', r * 1000 + i, i, 10 + i)),
      });
    }
    const body = expectOk(
      await mlflow.get('/metrics/get-history-bulk-interval', { run_ids: runs, metric_key: 'curve' }),
    );
    const points = body.metrics as WireMetric[];
    assert.equal(points.length, 200);
    assert.deepEqual([...new Set(points.map((p) => p.run_id))].sort(), [...runs].sort());
    const sampled = await mlflow.read('/metrics/get-history-bulk-interval', {
      run_ids: runs[0],
      metric_key: 'curve',
      max_results: 12,
    });
    const sampledSteps = (sampled.metrics as WireMetric[]).map((p) => p.step);
    assert.ok(sampledSteps.length > 0 && sampledSteps.length <= 12, `${sampledSteps.length} points`);
    assert.equal(sampledSteps[0], 0);
    assert.equal(sampledSteps.at(-1), 99);
    const window = await mlflow.read('/metrics/get-history-bulk-interval', {
      run_ids: runs[1],
      metric_key: 'curve',
      start_step: 10,
      end_step: 19,
    });
    assert.deepEqual(
      (window.metrics as WireMetric[]).map((p) => p.step),
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    );
    for (const bad of [
      { metric_key: 'curve' },
      { run_ids: runs[0] },
      { run_ids: runs[0], metric_key: 'curve', start_step: 5 },
      { run_ids: runs[0], metric_key: 'curve', start_step: 9, end_step: 3 },
      { run_ids: runs[0], metric_key: 'curve', max_results: 2501 },
      { run_ids: runs[0], metric_key: 'curve', max_results: 0 },
      { run_ids: Array.from({ length: 101 }, () => runs[0] as string), metric_key: 'curve' },
    ]) {
      expectError(
        await mlflow.get('/metrics/get-history-bulk-interval', bad),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    }
  });

  it('artifacts/list of a run without artifacts answers only root_uri', async () => {
    const runId = await mlflow.run();
    const run = await getRun(mlflow, runId);
    const body = await mlflow.read('/artifacts/list', { run_id: runId });
    assert.deepEqual(body, {
      root_uri: (run as unknown as { info: { artifact_uri: string } }).info.artifact_uri,
    });
    const legacy = await mlflow.read('/artifacts/list', { run_uuid: runId, path: 'model' });
    assert.deepEqual(legacy, body);
    expectError(
      await mlflow.get('/artifacts/list', { run_id: runId, path: '../x' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.get('/artifacts/list', { run_id: '0123456789abcdef0123456789abcdef' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });
});
