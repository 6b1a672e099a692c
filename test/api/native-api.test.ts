// The native API (/api/v1) through app.inject(): documented shapes, and bad input answered with 4xx, never 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/index.js';
import { sqliteDatabase } from '../support/databases.js';
import { testOsprey } from '../support/osprey.js';

describe('native API /api/v1', () => {
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  before(async () => {
    const osprey = await testOsprey(sqliteDatabase());
    app = await buildServer(osprey, { logger: false, bodyLimitBytes: 64 * 1024 });
    dispose = osprey.dispose;
  });
  after(async () => {
    await app.close();
    await dispose();
  });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('runs the life of a run: create, batch, search, history, update', async () => {
    const created = await call('POST', '/experiments', { name: 'api', tags: [{ key: 'k', value: 'v' }] });
    assert.equal(created.statusCode, 201);
    const { experimentId } = created.json() as { experimentId: string };
    const runResponse = await call('POST', '/runs', { experimentId, runName: 'first' });
    assert.equal(runResponse.statusCode, 201);
    const runId = (runResponse.json() as { info: { runId: string } }).info.runId;
    const batch = await call('POST', `/runs/${runId}/batch`, {
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 1, step: 0 },
        { key: 'loss', value: 'NaN', timestamp: 2, step: 1 },
        { key: 'loss', value: 0.25, timestamp: 3, step: 2 },
      ],
      params: [{ key: 'lr', value: '0.1' }],
    });
    assert.equal(batch.statusCode, 200, batch.body);
    const history = (await call('GET', `/runs/${runId}/metrics/loss/history`)).json() as {
      metrics: { value: unknown }[];
    };
    assert.deepEqual(
      history.metrics.map((m) => m.value),
      [0.5, 'NaN', 0.25],
    );
    const search = await call('POST', '/runs/search', {
      experimentIds: [experimentId],
      filter: "params.lr = '0.1'",
    });
    assert.deepEqual(
      (search.json() as { runs: { info: { runId: string } }[] }).runs.map((r) => r.info.runId),
      [runId],
    );
    const updated = await call('PATCH', `/runs/${runId}`, { status: 'FINISHED', endTime: 10 });
    assert.equal((updated.json() as { status: string }).status, 'FINISHED');
    const sampled = await call('GET', `/runs/${runId}/metrics/loss/sampled?maxPoints=100`);
    assert.equal((sampled.json() as { metrics: unknown[] }).metrics.length, 3);
  });

  it('streams artifacts up and down', async () => {
    const { info } = (await call('POST', '/runs', {})).json() as { info: { runId: string } };
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/runs/${info.runId}/artifacts/dir/hello.txt`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('hello'),
    });
    assert.equal(put.statusCode, 200, put.body);
    const get = await call('GET', `/runs/${info.runId}/artifacts/dir/hello.txt`);
    assert.equal(get.body, 'hello');
    assert.equal(get.headers['content-length'], '5');
    const list = (await call('GET', `/runs/${info.runId}/artifacts?path=dir`)).json() as {
      files: { path: string }[];
    };
    assert.deepEqual(
      list.files.map((f) => f.path),
      ['dir/hello.txt'],
    );
    for (const url of ['dir/../../x', '%2e%2e/x', 'dir/%2e%2e/%2e%2e/x', '..%2F..%2Fetc%2Fpasswd']) {
      const bad = await app.inject({
        method: 'PUT',
        url: `/api/v1/runs/${info.runId}/artifacts/${url}`,
        payload: Buffer.from('x'),
      });
      assert.ok([400, 404].includes(bad.statusCode), `${url} → ${bad.statusCode}`);
    }
  });

  it('answers bad input with a 4xx and a machine-readable code, never a 500', async () => {
    const cases: [string, string, string | Buffer | undefined, number, string][] = [
      ['POST', '/experiments', '{"name": ', 400, 'INVALID_ARGUMENT'],
      ['POST', '/experiments', '{"name": 42}', 400, 'INVALID_ARGUMENT'],
      ['POST', '/experiments', '[]', 400, 'INVALID_ARGUMENT'],
      ['POST', '/experiments', JSON.stringify({ name: 'x'.repeat(100_000) }), 413, 'PAYLOAD_TOO_LARGE'],
      ['GET', '/experiments/abc', undefined, 400, 'INVALID_ARGUMENT'],
      ['GET', '/experiments/424242', undefined, 404, 'NOT_FOUND'],
      ['GET', '/runs/does-not-exist', undefined, 404, 'NOT_FOUND'],
      ['GET', '/runs/..%2F..%2Fetc', undefined, 400, 'INVALID_ARGUMENT'],
      ['POST', '/runs/search', '{"experimentIds": ["0"], "filter": "metrics.x >"}', 400, 'INVALID_ARGUMENT'],
      ['POST', '/runs/search', '{"experimentIds": "0"}', 400, 'INVALID_ARGUMENT'],
      ['GET', '/experiments?maxResults=-1', undefined, 400, 'INVALID_ARGUMENT'],
      ['GET', '/experiments?pageToken=xyz', undefined, 400, 'INVALID_ARGUMENT'],
      ['GET', '/nope', undefined, 404, 'NOT_FOUND'],
    ];
    for (const [method, url, payload, status, code] of cases) {
      const response = await app.inject({
        method: method as 'GET',
        url: `/api/v1${url}`,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { payload }),
      });
      assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`);
      assert.equal((response.json() as { code: string }).code, code, `${method} ${url}`);
    }
    const { info } = (await call('POST', '/runs', {})).json() as { info: { runId: string } };
    const wrongType = await call('POST', `/runs/${info.runId}/batch`, {
      metrics: [{ key: 'm', value: true, timestamp: 1 }],
    });
    assert.equal(wrongType.statusCode, 400);
    const badStatus = await call('PATCH', `/runs/${info.runId}`, { status: 'DONE' });
    assert.equal(badStatus.statusCode, 400);
  });

  it('publishes an OpenAPI document covering the native API', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, Record<string, { summary?: string; requestBody?: unknown }>>;
    };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/v1/runs/{runId}/batch']?.post?.requestBody, 'request bodies are documented');
    assert.equal(doc.paths['/api/v1/experiments']?.post?.summary, 'Create an experiment');
    assert.ok(
      !Object.keys(doc.paths).some((p) => p.startsWith('/api/2.0')),
      'MLflow routes stay out of the native document',
    );
  });
});
