// Monitors through the native API: a spec PUT, the payload log evaluated, results and the drift alert
// read back, delayed labels attached by request id, and 4xx answers for bad input.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createOsprey, type Osprey } from '../../src/app/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { logQuietThenDrifted, writeReference } from '../../src/monitoring/monitors/test-support/traffic.js';
import { buildServer } from '../../src/server/index.js';
import { createPayloadLogStore } from '../../src/serving/logging/index.js';
import { until } from '../support/until.js';

describe('monitors API', () => {
  let home: string;
  let osprey: Osprey;
  let app: FastifyInstance;
  const spec = () => ({
    deployment: 'fraud',
    reference: { path: join(home, 'reference.csv') },
    features: [
      { name: 'a', input: 'x', index: 0 },
      { name: 'b', input: 'x', index: 1 },
      { name: 'c', input: 'c', type: 'categorical' },
    ],
    detectors: [{ type: 'feature-drift', correction: 'bonferroni' }],
    window: { rows: 100, lateness: '1s' },
    alerts: [{ name: 'drift', metric: 'feature-drift.detected', comparison: '>=', threshold: 1, for: 2 }],
  });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'osprey-monitor-api-'));
    writeReference(home, 500, 1, 'reference.csv');
    osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }, {}));
    const store = createPayloadLogStore(osprey.database);
    await logQuietThenDrifted(store, 'fraud');
    app = await buildServer(osprey, { logger: false });
  });
  after(async () => {
    await app.close();
    await osprey.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('applies a monitor, evaluates the log, and serves its results and alerts', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/v1/monitors/fraud-watch', payload: spec() });
    assert.equal(put.statusCode, 200, put.body);
    const listed = (await app.inject({ url: '/api/v1/monitors' })).json() as { monitors: { name: string }[] };
    assert.deepEqual(
      listed.monitors.map((m) => m.name),
      ['fraud-watch'],
    );
    const evaluated = await app.inject({ method: 'POST', url: '/api/v1/monitors/fraud-watch/evaluate' });
    assert.equal(evaluated.statusCode, 200, evaluated.body);
    const results = (
      await app.inject({ url: '/api/v1/monitors/fraud-watch/results?metric=feature-drift' })
    ).json() as { results: { metric: string; value: number }[] };
    assert.equal(results.results.length, 5);
    assert.ok(results.results.every((r) => r.metric === 'feature-drift'));
    const alerts = (await app.inject({ url: '/api/v1/alerts?monitor=fraud-watch' })).json() as {
      alerts: { rule: string }[];
    };
    assert.deepEqual(
      alerts.alerts.map((a) => a.rule),
      ['drift'],
    );
    const metrics = (await app.inject({ url: '/metrics' })).body;
    assert.match(metrics, /osprey_monitor_drift_score\{monitor="fraud-watch",detector="feature-drift"\} \d/);
    assert.match(metrics, /osprey_http_requests_total/);
  });

  it('evaluates monitors on their schedule, picking up ones applied later', async () => {
    const spec2 = { ...spec(), schedule: { interval: '100ms' } };
    const put = await app.inject({ method: 'PUT', url: '/api/v1/monitors/scheduled', payload: spec2 });
    assert.equal(put.statusCode, 200, put.body);
    const errors: unknown[] = [];
    osprey.runMonitorSchedules((error) => errors.push(error));
    await until(async () => {
      const reply = await app.inject({ url: '/api/v1/monitors/scheduled/results?metric=feature-drift' });
      return (reply.json() as { results: unknown[] }).results.length === 5;
    }, 'the scheduled evaluation');
    assert.deepEqual(errors, []);
  });

  it('answers bad input with 4xx and a code', async () => {
    const cases: [InjectOptions, number, string][] = [
      [
        { method: 'PUT', url: '/api/v1/monitors/x', payload: { ...spec(), detectors: 'nope' } },
        400,
        'INVALID_ARGUMENT',
      ],
      [
        { method: 'PUT', url: '/api/v1/monitors/x', payload: { ...spec(), name: 'y' } },
        400,
        'INVALID_ARGUMENT',
      ],
      [{ url: '/api/v1/monitors/nope' }, 404, 'NOT_FOUND'],
      [{ method: 'POST', url: '/api/v1/monitors/nope/evaluate' }, 404, 'NOT_FOUND'],
      [{ url: '/api/v1/monitors/fraud-watch/results?limit=0' }, 400, 'INVALID_ARGUMENT'],
      [
        { method: 'POST', url: '/api/v1/feedback', payload: { requestId: 'never-logged', groundTruth: 1 } },
        404,
        'NOT_FOUND',
      ],
      [
        { method: 'POST', url: '/api/v1/feedback', payload: { requestId: 'q0', groundTruth: { a: 1 } } },
        400,
        'INVALID_ARGUMENT',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/feedback',
          payload: '{"requestId":',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'INVALID_ARGUMENT',
      ],
    ];
    for (const [request, status, code] of cases) {
      const reply = await app.inject(request);
      assert.equal(reply.statusCode, status, `${JSON.stringify(request)}: ${reply.body}`);
      assert.equal((reply.json() as { code: string }).code, code);
    }
  });
});
