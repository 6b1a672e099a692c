// MLflow REST API 2.0 wire conformance: the protocol around the RPCs. Every tracking endpoint of
// reference/tracking.md §1 on both prefixes; MLflow's error bodies and statuses (mlflow/exceptions.py
// ERROR_CODE_TO_HTTP_STATUS); JSON-only POST bodies ("The MLflow REST API requires content type
// application/json for all POST requests", https://mlflow.org/docs/latest/rest-api.html); unknown fields
// ignored and numeric ids stringified (handlers.py ParseDict(ignore_unknown_fields=True),
// _stringify_all_experiment_ids); repeated GET fields as repeated query keys.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  expectEmpty,
  expectError,
  expectOk,
  type MlflowCaller,
  mlflowSuites,
  type Reply,
} from './mlflow-harness.js';

/** The tracking RPCs the brief and reference/tracking.md §1 list, with their HTTP methods. */
const ENDPOINTS: readonly (readonly ['GET' | 'POST', string])[] = [
  ['POST', '/experiments/create'],
  ['GET', '/experiments/get'],
  ['GET', '/experiments/get-by-name'],
  ['GET', '/experiments/search'],
  ['POST', '/experiments/search'],
  ['POST', '/experiments/delete'],
  ['POST', '/experiments/restore'],
  ['POST', '/experiments/update'],
  ['POST', '/experiments/set-experiment-tag'],
  ['POST', '/experiments/delete-experiment-tag'],
  ['GET', '/experiments/list'],
  ['POST', '/runs/create'],
  ['GET', '/runs/get'],
  ['POST', '/runs/update'],
  ['POST', '/runs/delete'],
  ['POST', '/runs/restore'],
  ['POST', '/runs/search'],
  ['POST', '/runs/log-metric'],
  ['POST', '/runs/log-parameter'],
  ['POST', '/runs/set-tag'],
  ['POST', '/runs/delete-tag'],
  ['POST', '/runs/log-batch'],
  ['POST', '/runs/log-inputs'],
  ['POST', '/runs/log-model'],
  ['GET', '/metrics/get-history'],
  ['GET', '/metrics/get-history-bulk-interval'],
  ['GET', '/artifacts/list'],
];
const POSTS = ENDPOINTS.filter(([method]) => method === 'POST').map(([, path]) => path);

/** RPCs whose request fields are all optional: an empty request succeeds. */
const ALL_OPTIONAL = new Set(['/experiments/search', '/experiments/list', '/runs/create', '/runs/search']);

function postRaw(mlflow: MlflowCaller, path: string, payload: string, contentType = 'application/json') {
  return mlflow.inject({
    method: 'POST',
    url: `${mlflow.prefix}${path}`,
    headers: { 'content-type': contentType },
    payload,
  });
}

function expectNot500(reply: Reply, what: string) {
  assert.ok(reply.status < 500, `${what} answered ${reply.status}: ${reply.text}`);
}

await mlflowSuites('MLflow protocol', (mlflow) => {
  it('mounts every tracking RPC; an empty request is a success or a 400, never a 404 or 500', async () => {
    for (const [method, path] of ENDPOINTS) {
      const reply = method === 'GET' ? await mlflow.get(path) : await mlflow.post(path, {});
      if (ALL_OPTIONAL.has(path)) expectOk(reply);
      else expectError(reply, 400, 'INVALID_PARAMETER_VALUE', /required|must specify/);
    }
  });

  it('malformed JSON on every POST RPC is 400 INVALID_PARAMETER_VALUE, never a 500', async () => {
    for (const path of POSTS) {
      for (const payload of ['{"name": ', '{name: "x"}', "{'a': 1}", '[1, 2', 'nul']) {
        expectError(await postRaw(mlflow, path, payload), 400, 'INVALID_PARAMETER_VALUE', /JSON/);
      }
      // Valid JSON that is not an object.
      for (const payload of ['[1, 2]', '42', 'true', '"plain text"']) {
        const reply = await postRaw(mlflow, path, payload);
        expectError(reply, 400, 'INVALID_PARAMETER_VALUE');
      }
    }
  });

  it('POST bodies must be JSON: other media types are 400; charset parameters and empty bodies are fine', async () => {
    expectError(
      await postRaw(mlflow, '/experiments/create', 'name=x', 'application/x-www-form-urlencoded'),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await postRaw(mlflow, '/experiments/create', '{"name": "x"}', 'text/plain'),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    const charset = await postRaw(
      mlflow,
      '/experiments/create',
      JSON.stringify({ name: `charset-${mlflow.tag}` }),
      'application/json; charset=utf-8',
    );
    assert.match(expectOk(charset).experiment_id as string, /^\d+$/);
    // An empty JSON body is the empty request, as MLflow reads it.
    const empty = await postRaw(mlflow, '/runs/create', '');
    expectOk(empty);
    expectError(await postRaw(mlflow, '/experiments/create', ''), 400, 'INVALID_PARAMETER_VALUE', /name/);
    // Older clients double-encode their JSON as a string; handlers.py decodes it a second time.
    const doubled = await postRaw(
      mlflow,
      '/experiments/create',
      JSON.stringify(JSON.stringify({ name: `double-${mlflow.tag}` })),
    );
    expectOk(doubled);
  });

  it('rejects prototype-poisoning keys with 400 and leaves Object.prototype alone', async () => {
    const reply = await postRaw(
      mlflow,
      '/experiments/create',
      `{"name": "poison-${mlflow.tag}", "__proto__": {"polluted": true}}`,
    );
    expectError(reply, 400, 'INVALID_PARAMETER_VALUE', /__proto__/);
    expectError(
      await postRaw(mlflow, '/runs/create', '{"constructor": {"prototype": {"polluted": true}}}'),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('ignores unknown fields in bodies and query strings, including newer MLflow fields', async () => {
    const experimentId = expectOk(
      await mlflow.post('/experiments/create', {
        name: `unknown-${mlflow.tag}`,
        workspace: 'default',
        future: { nested: [1, 2, { deep: true }] },
      }),
    ).experiment_id as string;
    const run = expectOk(await mlflow.post('/runs/create', { experiment_id: experimentId, outputs: {} }));
    const runId = (run.run as { info: { run_id: string } }).info.run_id;
    expectEmpty(
      await mlflow.post('/runs/log-metric', {
        run_id: runId,
        key: 'm',
        value: 1,
        timestamp: 1,
        dataset_name: 'train',
        dataset_digest: 'abc',
        model_id: 'm-1',
      }),
    );
    expectOk(await mlflow.get('/experiments/get', { experiment_id: experimentId, include: 'everything' }));
  });

  it('stringifies the legacy numeric experiment_id everywhere it is read', async () => {
    const experimentId = await mlflow.experiment('numeric');
    const id = Number(experimentId);
    expectEmpty(
      await mlflow.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v' }),
    );
    expectEmpty(
      await mlflow.post('/experiments/update', { experiment_id: id, new_name: `numeric2-${mlflow.tag}` }),
    );
    const run = expectOk(await mlflow.post('/runs/create', { experiment_id: id }));
    assert.equal((run.run as { info: { experiment_id: unknown } }).info.experiment_id, experimentId);
    const found = expectOk(await mlflow.post('/runs/search', { experiment_ids: [id, 0] }));
    assert.ok((found.runs as unknown[]).length >= 1);
    expectEmpty(await mlflow.post('/experiments/delete', { experiment_id: id }));
    expectEmpty(await mlflow.post('/experiments/restore', { experiment_id: id }));
  });

  it('rejects wrong JSON types with 400 INVALID_PARAMETER_VALUE on every kind of field', async () => {
    const runId = await mlflow.run();
    const cases: [string, Record<string, unknown>][] = [
      ['/experiments/create', { name: { first: 'a' } }],
      ['/experiments/create', { name: ['a', 'b'] }],
      ['/experiments/create', { name: `t-${mlflow.tag}`, tags: { key: 'a', value: 'b' } }],
      ['/experiments/create', { name: `t-${mlflow.tag}`, tags: [{ value: 'no key' }] }],
      ['/experiments/create', { name: `t-${mlflow.tag}`, tags: ['a=b'] }],
      ['/experiments/search', { max_results: 'many' }],
      ['/experiments/search', { max_results: -1 }],
      ['/experiments/search', { filter: { name: 'x' } }],
      ['/runs/create', { start_time: 1.5 }],
      ['/runs/create', { tags: [{ key: 'k', value: { nested: 1 } }] }],
      ['/runs/update', { run_id: [runId, runId] }],
      ['/runs/search', { max_results: [1, 2] }],
      ['/runs/search', { order_by: [{ key: 'x' }] }],
      ['/runs/log-metric', { run_id: runId, key: 'm', value: 'twelve', timestamp: 1 }],
      ['/runs/log-metric', { run_id: runId, key: 'm', value: null, timestamp: 1 }],
      ['/runs/log-parameter', { run_id: runId, key: 'p', value: { v: 1 } }],
      ['/runs/set-tag', { run_id: runId, key: 't', value: ['x'] }],
      ['/runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 'x', timestamp: 1 }] }],
      ['/runs/log-batch', { run_id: runId, params: 'a=1' }],
      ['/runs/log-inputs', { run_id: runId, datasets: { dataset: {} } }],
      ['/runs/log-model', { run_id: runId, model_json: { artifact_path: 'm' } }],
    ];
    for (const [path, body] of cases) {
      const reply = await mlflow.post(path, body);
      const what = `${path} ${JSON.stringify(body)}`;
      expectNot500(reply, what);
      assert.equal(reply.status, 400, `${what} answered ${reply.status}: ${reply.text}`);
      expectError(reply, 400, 'INVALID_PARAMETER_VALUE');
    }
    // A scalar field given twice in a query string is not a scalar.
    expectError(
      await mlflow.get('/experiments/get', { experiment_id: ['0', '1'] }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('answers ENDPOINT_NOT_FOUND (404, MLflow body) for unknown paths and wrong methods, whatever the body', async () => {
    expectError(await mlflow.post('/runs/frobnicate', {}), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await mlflow.get('/runs/create'), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await mlflow.post('/runs/get', { run_id: 'x' }), 404, 'ENDPOINT_NOT_FOUND');
    // The npm `mlflow` client's setExperimentTag drops a slash (reference/tracking.md §4).
    expectError(await mlflow.post('/experimentsset-experiment-tag', {}), 404, 'ENDPOINT_NOT_FOUND');
    // No tracking RPC is DELETE or PATCH (those are registry RPCs). Such calls carry JSON bodies, and even
    // a malformed or non-JSON one must get MLflow's 404 rather than a parser error in Osprey's own format.
    // (MLflow's Flask app answers a wrong method with 405 and an HTML page; a JSON 404 serves clients better.)
    for (const method of ['DELETE', 'PATCH', 'PUT'] as const) {
      for (const payload of [JSON.stringify({ run_id: 'abc' }), '{"broken": ']) {
        const reply = await mlflow.inject({
          method,
          url: `${mlflow.prefix}/runs/delete`,
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectError(reply, 404, 'ENDPOINT_NOT_FOUND', new RegExp(`${method} ${mlflow.prefix}/runs/delete`));
      }
    }
    const malformedUnknown = await postRaw(mlflow, '/nowhere', '{"broken": ');
    expectError(malformedUnknown, 404, 'ENDPOINT_NOT_FOUND');
    const xml = await postRaw(mlflow, '/nowhere', '<a/>', 'application/xml');
    expectError(xml, 404, 'ENDPOINT_NOT_FOUND');
  });

  it('GET RPCs also answer HEAD (Fastify exposes it) by reading the query string', async () => {
    const head = await mlflow.inject({
      method: 'HEAD',
      url: `${mlflow.prefix}/experiments/get?experiment_id=0`,
    });
    assert.equal(head.status, 200);
    const missing = await mlflow.inject({ method: 'HEAD', url: `${mlflow.prefix}/experiments/get` });
    assert.equal(missing.status, 400);
  });

  it('gives the same answers under both prefixes (shared state, one endpoint table)', async () => {
    const name = `shared-${mlflow.tag}`;
    const experimentId = await mlflow.experiment('shared');
    const other = mlflow.prefix.startsWith('/ajax') ? '/api/2.0/mlflow' : '/ajax-api/2.0/mlflow';
    const here = await mlflow.get('/experiments/get-by-name', { experiment_name: name });
    const there = await mlflow.inject({
      method: 'GET',
      url: `${other}/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
    });
    assert.equal(there.status, 200);
    assert.deepEqual(there.body, here.body);
    assert.equal((there.body.experiment as { experiment_id: string }).experiment_id, experimentId);
  });
});
