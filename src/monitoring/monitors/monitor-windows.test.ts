// Time windows, bad traffic (empty windows, constant and all-missing columns, NaN/Infinity,
// requests that do not match the features) and delayed-label performance, on every database.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { dialects, type TestDatabase } from '../../../test/support/databases.js';
import { createRng } from '../../random/index.js';
import { type CloudEvent, createPayloadLogStore, type PayloadLogStore } from '../../serving/logging/index.js';
import { type Database, openDatabase } from '../../store/db/index.js';
import { createMonitoring, type MonitorResult, validateMonitorSpec } from './index.js';
import { requestEvent, responseEvent, sampleRows, T0, writeReference } from './test-support/traffic.js';

const MINUTE = 60_000;
const WINDOW = 10 * MINUTE;

const finiteOrNull = (v: number | null) => v === null || Number.isFinite(v);

for (const dialect of await dialects()) {
  describe(`monitor windows and feedback on ${dialect.name}`, { skip: dialect.skip }, () => {
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
      reference = writeReference(dir, 300, 3);
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('bad traffic gets defined results and messages, never a NaN p-value or a failed evaluation', async () => {
      const monitoring = createMonitoring({ database, payloads, clock });
      await monitoring.applyMonitor(
        validateMonitorSpec({
          name: 'timed',
          deployment: 'timed',
          reference: { path: reference },
          features: [
            { name: 'a', input: 'x', index: 0 },
            { name: 'b', input: 'x', index: 1 },
            { name: 'c', input: 'c', type: 'categorical' },
          ],
          detectors: [
            { type: 'feature-drift', correction: 'fdr' },
            { type: 'mmd', maxReference: 100, permutations: 20, features: ['a', 'b'] },
            { type: 'outliers', method: 'robust-z', features: ['a', 'b'] },
          ],
          window: { duration: '10m', lateness: '1m' },
          alerts: [{ metric: 'rows', comparison: '==', threshold: 0 }],
        }),
      );
      const rng = createRng(11);
      const labels = { deployment: 'timed' };
      const at = (w: number, i: number) => T0 + w * WINDOW + i * 1000;
      const events: CloudEvent[] = [];
      // Window 0: normal traffic. Window 1: nothing. Window 2: b constant, NaN/±Infinity in a, one
      // request without tensor c. Window 3: a missing everywhere.
      for (let i = 0; i < 10; i++)
        events.push(requestEvent(labels, `w0-${i}`, at(0, i), sampleRows(rng, 10)));
      for (let i = 0; i < 10; i++) {
        const rows = sampleRows(rng, 10).map((r, j) => [
          j === 0 ? [Number.NaN, Infinity, -Infinity][i % 3] : r[0],
          0,
          r[2],
        ]);
        events.push(requestEvent(labels, `w2-${i}`, at(2, i), rows));
      }
      const broken = requestEvent(labels, 'w2-broken', at(2, 20), sampleRows(rng, 2));
      (broken.data as { inputs: unknown[] }).inputs.pop();
      events.push(broken);
      for (let i = 0; i < 10; i++)
        events.push(
          requestEvent(
            labels,
            `w3-${i}`,
            at(3, i),
            sampleRows(rng, 10).map((r) => [null, r[1], r[2]]),
          ),
        );
      await payloads.append(events);
      // Window 4 has an event but is not closed yet (its end is after the watermark).
      await payloads.append([requestEvent(labels, 'w4', at(4, 0), sampleRows(rng, 1))]);
      now = T0 + 5 * WINDOW - 30_000;

      const report = await monitoring.evaluate('timed');
      assert.deepEqual(
        report.windows.map((w) => [w.start - T0, w.rows]),
        [
          [0, 100],
          [WINDOW, 0],
          [2 * WINDOW, 100],
          [3 * WINDOW, 100],
        ],
      );
      const results = await monitoring.listResults('timed');
      assert.ok(results.every((r) => finiteOrNull(r.pValue) && finiteOrNull(r.value)));
      const get = (w: number, metric: string) =>
        results.find((r) => r.windowStart === T0 + w * WINDOW && r.metric === metric) as MonitorResult;

      // The empty window: every detector says why it did not run; the rows rule raises its alert.
      for (const d of ['feature-drift', 'mmd', 'outliers'])
        assert.deepEqual(get(1, d).perFeature, { skipped: 'the window is empty' });
      assert.equal(get(1, 'missing_rate').value, null);
      assert.deepEqual(
        report.alerts.map((a) => [a.rule, a.windowStart - T0]),
        [['rows == 0', WINDOW]],
      );

      // Constant b and non-finite a: tested on what is there, counted as data-quality problems.
      const w2 = get(2, 'feature-drift').perFeature as { features: { feature: string; pValue: number }[] };
      assert.ok(w2.features.every((f) => Number.isFinite(f.pValue)));
      assert.ok(
        w2.features.find((f) => f.feature === 'b')!.pValue < 1e-6,
        'a constant b differs from a normal reference',
      );
      assert.equal(get(2, 'invalid_rows').value, 10);
      assert.deepEqual(get(2, 'invalid_rows').perFeature, { nonFiniteValues: 10 });
      assert.equal(get(2, 'rejected_requests').value, 1);
      assert.deepEqual(get(2, 'rejected_requests').perFeature, {
        reasons: ['request has no input tensor "c" (feature "c")'],
      });
      assert.equal((get(2, 'mmd').perFeature as { incompleteRows: number }).incompleteRows, 10);

      // a missing everywhere: left out of the drift test by name; no complete row for MMD.
      assert.deepEqual((get(3, 'feature-drift').perFeature as { skipped: string[] }).skipped, ['a']);
      assert.equal(get(3, 'missing_rate').value, 1 / 3);
      assert.equal(get(3, 'mmd').value, null);
      assert.match(
        (get(3, 'mmd').perFeature as { skipped: string }).skipped,
        /at least two current rows|non-empty/,
      );
    });

    it('delayed labels give performance per window and per model version; late labels update it', async () => {
      const monitoring = createMonitoring({ database, payloads, clock });
      await monitoring.applyMonitor(
        validateMonitorSpec({
          name: 'perf',
          deployment: 'perf',
          reference: { path: reference },
          features: [
            { name: 'a', input: 'x', index: 0 },
            { name: 'b', input: 'x', index: 1 },
          ],
          detectors: [{ type: 'feature-drift' }],
          window: { rows: 1000 },
          performance: { task: 'binary', output: 'p', window: '10m' },
          alerts: [{ metric: 'performance.accuracy', comparison: '<', threshold: 0.6 }],
        }),
      );
      const rng = createRng(4);
      const events: CloudEvent[] = [];
      // Version 1 answers 0.9 / 0.2; version 2 answers with batches of two rows.
      const cases = [
        { id: 'p1', version: '1', p: [0.9], truth: 1 },
        { id: 'p2', version: '1', p: [0.2], truth: 1 },
        { id: 'p3', version: '1', p: [0.7], truth: 0 },
        { id: 'p4', version: '2', p: [0.8, 0.1], truth: [1, 0] },
      ];
      cases.forEach((c, i) => {
        const rows = sampleRows(rng, c.p.length);
        events.push(requestEvent({ deployment: 'perf', version: c.version }, c.id, T0 + i * 1000, rows));
        events.push(responseEvent({ deployment: 'perf', version: c.version }, c.id, T0 + i * 1000 + 5, c.p));
      });
      await payloads.append(events);
      for (const c of cases.slice(0, 3)) await monitoring.recordFeedback(c.id, c.truth);
      now = T0 + WINDOW;
      const first = await monitoring.evaluate('perf');
      assert.equal(first.performanceWindows, 1);
      const accuracy = async (version: string) =>
        (await monitoring.listResults('perf', { metric: 'performance.accuracy' })).find(
          (r) => r.modelVersion === version,
        )?.value;
      assert.equal(await accuracy(''), 1 / 3);
      assert.equal(await accuracy('1'), 1 / 3);
      assert.deepEqual(
        first.alerts.map((a) => a.metric),
        ['performance.accuracy'],
      );

      // A late label for version 2 rescored the window; the rule does not see the window twice.
      await monitoring.recordFeedback('p4', [1, 0]);
      now += 1000;
      const second = await monitoring.evaluate('perf');
      assert.deepEqual(second.alerts, []);
      assert.equal(await accuracy(''), 3 / 5);
      assert.equal(await accuracy('2'), 1);
      const auc = (await monitoring.listResults('perf', { metric: 'performance.roc_auc' })).find(
        (r) => r.modelVersion === '',
      );
      // Brute force over (positive, negative) pairs of truths [1,1,0,1,0] and scores [.9,.2,.7,.8,.1]: 5 of 6 ordered right.
      assert.equal(auc?.value, 5 / 6);

      await rejectsWith(
        monitoring.recordFeedback('nobody', 1),
        'NOT_FOUND',
        /no logged prediction for request id "nobody"/,
      );
      await rejectsWith(
        monitoring.recordFeedback('p1', Number.NaN),
        'INVALID_ARGUMENT',
        /groundTruth must be/,
      );
      await rejectsWith(monitoring.recordFeedback('', 1), 'INVALID_ARGUMENT', /requestId/);
    });

    it('a scheduled monitor evaluates on its interval, one evaluation at a time, until stopped', async () => {
      const monitoring = createMonitoring({ database, payloads, clock });
      const spec = validateMonitorSpec({
        name: 'sched',
        deployment: 'sched',
        reference: { path: reference },
        features: [{ name: 'a', input: 'x', index: 0 }],
        detectors: [{ type: 'feature-drift' }],
        window: { rows: 10, lateness: '1s' },
        schedule: { interval: '20ms' },
      });
      await monitoring.applyMonitor(spec);
      const rng = createRng(8);
      const events = Array.from({ length: 4 }, (_, i) =>
        requestEvent({ deployment: 'sched' }, `s${i}`, T0 + i, sampleRows(rng, 5)),
      );
      await payloads.append(events);
      now = T0 + MINUTE;
      const errors: unknown[] = [];
      const running = monitoring.schedule(spec, (error) => errors.push(error));
      const deadline = Date.now() + 20_000;
      let results: MonitorResult[] = [];
      while (results.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        results = await monitoring.listResults('sched', { metric: 'rows' });
      }
      await running.stop();
      assert.deepEqual(errors, []);
      assert.deepEqual(
        results.map((r) => r.value),
        [10, 10],
      );
    });
  });
}
