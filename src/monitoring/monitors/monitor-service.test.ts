// Monitors over the real payload log on every database: windows, detectors, results, gauges,
// alerts with webhooks, restarts, and the "done when" experiment (drift raises an alert, quiet
// traffic stays quiet; false-alarm rate measured on a fixed seed).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { dialects, type TestDatabase } from '../../../test/support/databases.js';
import { createRng } from '../../random/index.js';
import { createPayloadLogStore, type PayloadLogStore } from '../../serving/logging/index.js';
import { type Database, openDatabase } from '../../store/db/index.js';
import {
  createMonitoring,
  createWebhookNotifier,
  type MonitorSpecInput,
  validateMonitorSpec,
} from './index.js';
import { logTraffic, T0, writeReference } from './test-support/traffic.js';

const WINDOW_ROWS = 100;
const QUIET_WINDOWS = 200;

function experimentSpec(
  name: string,
  deployment: string,
  reference: string,
  webhooks: string[] = [],
): MonitorSpecInput {
  return {
    name,
    deployment,
    reference: { path: reference },
    features: [
      { name: 'a', input: 'x', index: 0 },
      { name: 'b', input: 'x', index: 1 },
      { name: 'c', input: 'c', type: 'categorical' },
    ],
    detectors: [
      { type: 'feature-drift', correction: 'bonferroni', pValue: 0.05 },
      {
        type: 'outliers',
        method: 'isolation-forest',
        contamination: 0.05,
        maxRate: 0.2,
        features: ['a', 'b'],
      },
    ],
    window: { rows: WINDOW_ROWS, lateness: '1s' },
    alerts: [
      { name: 'feature drift', metric: 'feature-drift.detected', comparison: '>=', threshold: 1, for: 2 },
    ],
    webhooks,
    seed: 7,
  };
}

/** A webhook receiver that answers 503 to the first `failures` deliveries, then 204. */
function webhookServer(
  failures: number,
): Promise<{ server: Server; url: string; received: unknown[]; attempts: () => number }> {
  const received: unknown[] = [];
  let attempts = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      attempts++;
      if (attempts <= failures) {
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        received,
        attempts: () => attempts,
      }),
    ),
  );
}

for (const dialect of await dialects()) {
  describe(`monitors on ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase;
    let database: Database;
    let payloads: PayloadLogStore;
    let dir: string;
    let reference: string;
    let now = T0;
    const clock = () => now;
    before(async () => {
      testDb = await dialect.create();
      database = await openDatabase(testDb.url);
      payloads = createPayloadLogStore(database);
      dir = mkdtempSync(join(tmpdir(), 'osprey-monitor-'));
      reference = writeReference(dir, 1000, 1);
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`quiet traffic: ${QUIET_WINDOWS} windows of ${WINDOW_ROWS} rows flag 5/200 windows (2.5 %, Bonferroni level 5 %) and raise 0 alerts; 0.5σ drift alerts at its 2nd window`, async () => {
      const hook = await webhookServer(2);
      try {
        const registry = new Registry();
        const notifier = createWebhookNotifier({ backoffMs: 10 });
        const monitoring = createMonitoring({ database, payloads, clock, registry, notifier });
        await monitoring.applyMonitor(
          validateMonitorSpec(experimentSpec('quiet', 'fraud', reference, [hook.url])),
        );
        const rng = createRng(2026);
        const batch = 10;
        const quietEnd = await logTraffic(payloads, { deployment: 'fraud' }, rng, {
          start: T0,
          requests: (QUIET_WINDOWS * WINDOW_ROWS) / batch,
          batch,
          prefix: 'quiet',
        });
        now = quietEnd + 60_000;
        const quiet = await monitoring.evaluate('quiet');
        assert.equal(quiet.windows.length, QUIET_WINDOWS);
        const flagged = quiet.windows.filter((w) => w.detected.includes('feature-drift')).length;
        const outlierFlags = quiet.windows.filter((w) => w.detected.includes('outliers')).length;
        assert.equal(flagged, 5, `false-alarm windows: ${flagged}/${QUIET_WINDOWS}`);
        assert.ok(flagged / QUIET_WINDOWS <= 0.05);
        assert.equal(outlierFlags, 0);
        assert.deepEqual(quiet.alerts, []);

        // Drift: feature a shifted by half a standard deviation.
        const driftStart = now;
        const driftEnd = await logTraffic(payloads, { deployment: 'fraud' }, rng, {
          start: driftStart,
          requests: (3 * WINDOW_ROWS) / batch,
          batch,
          shift: 0.5,
          prefix: 'drift',
        });
        now = driftEnd + 60_000;
        const drifted = await monitoring.evaluate('quiet');
        assert.equal(drifted.windows.length, 3);
        assert.equal(drifted.alerts.length, 1);
        const alert = drifted.alerts[0]!;
        assert.equal(alert.rule, 'feature drift');
        assert.equal(
          alert.windowStart,
          drifted.windows[1]!.start,
          'the alert comes with the 2nd drifted window',
        );
        const detail = (alert.evidence.detail as { features: { feature: string; isDrift: boolean }[] })
          .features;
        assert.deepEqual(
          detail.filter((f) => f.isDrift).map((f) => f.feature),
          ['a'],
        );
        assert.deepEqual(await monitoring.listAlerts({ monitor: 'quiet' }), drifted.alerts);

        // The webhook got it after two 503s, without evaluate having waited for it.
        await notifier.drain();
        assert.equal(hook.attempts(), 3);
        assert.equal((hook.received[0] as { alert: { rule: string } }).alert.rule, 'feature drift');

        const metrics = await registry.getMetricsAsJSON();
        const pValue = metrics.find((m) => m.name === 'osprey_monitor_p_value')!;
        assert.ok((pValue.values[0]!.value as number) < 0.05);
        const rate = metrics.find((m) => m.name === 'osprey_monitor_outlier_rate')!;
        assert.ok(Number.isFinite(rate.values[0]!.value));

        const series = await monitoring.listResults('quiet', { metric: 'feature-drift' });
        assert.equal(series.length, QUIET_WINDOWS + 3);
        assert.ok(
          series.every((r) => r.pValue !== null && Number.isFinite(r.pValue) && r.rows === WINDOW_ROWS),
        );
      } finally {
        hook.server.close();
      }
    });

    it('a restarted evaluator continues from the checkpoint: no event counted twice, none skipped', async () => {
      await createMonitoring({ database, payloads, clock }).applyMonitor(
        validateMonitorSpec(experimentSpec('restart', 'restart', reference)),
      );
      const rng = createRng(5);
      // 25 requests of 10 rows, then 2.5 windows more; each evaluation from a fresh service.
      let end = await logTraffic(payloads, { deployment: 'restart' }, rng, {
        start: T0,
        requests: 25,
        batch: 10,
        prefix: 'r1',
      });
      now = end + 10_000;
      const first = await createMonitoring({ database, payloads, clock }).evaluate('restart');
      assert.equal(first.windows.length, 2);
      const again = await createMonitoring({ database, payloads, clock }).evaluate('restart');
      assert.equal(again.windows.length, 0);
      end = await logTraffic(payloads, { deployment: 'restart' }, rng, {
        start: end,
        requests: 25,
        batch: 10,
        prefix: 'r2',
      });
      now = end + 10_000;
      const second = await createMonitoring({ database, payloads, clock }).evaluate('restart');
      assert.equal(second.windows.length, 3);
      const rows = await createMonitoring({ database, payloads, clock }).listResults('restart', {
        metric: 'rows',
      });
      assert.deepEqual(
        rows.map((r) => r.value),
        [100, 100, 100, 100, 100],
      );
    });

    it('two evaluations racing from the same checkpoint: one commits, the other is a CONFLICT', async () => {
      const monitoring = createMonitoring({ database, payloads, clock });
      await monitoring.applyMonitor(validateMonitorSpec(experimentSpec('race', 'race', reference)));
      const end = await logTraffic(payloads, { deployment: 'race' }, createRng(9), {
        start: T0,
        requests: 20,
        batch: 10,
        prefix: 'race',
      });
      now = end + 10_000;
      const outcomes = await Promise.allSettled([monitoring.evaluate('race'), monitoring.evaluate('race')]);
      const ok = outcomes.filter((o) => o.status === 'fulfilled');
      assert.ok(ok.length >= 1);
      for (const o of outcomes)
        if (o.status === 'rejected') assert.equal((o.reason as { code: string }).code, 'CONFLICT');
      assert.equal((await monitoring.listResults('race', { metric: 'rows' })).length, 2);
    });
  });
}
