// Monitors on the payload log (SQLite), seeded traffic from src/random:
//   node --import tsx bench/monitors.ts [windows=1000] [reps=3]
// 1. False alarms: `windows` undrifted windows of 100 rows (a, b ~ N(0,1), c one of three categories)
//    against a 1,000-row reference; share of windows flagged by the per-feature drift test (KS / chi²,
//    Bonferroni at 5 %) and by the Isolation Forest outlier rate (>= 20 %), and alerts raised by a
//    "for 1" and a "for 2 consecutive windows" rule on the drift flag.
// 2. Detection delay: feature a shifted by 0.25σ, 0.5σ, 1σ; 10 trials each (fresh monitor), windows
//    until the "for 2" alert.
// 3. Throughput: evaluating the quiet windows (read the log, form windows, run the detectors, store the
//    results) beside the baseline of running the same detectors on the same windows held in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMonitoring,
  createRng,
  IsolationForestDetector,
  type MonitorSpec,
  TabularDriftDetector,
  validateMonitorSpec,
} from '../src/monitoring/index.js';
import {
  logTraffic,
  sampleRows,
  T0,
  writeReference,
} from '../src/monitoring/monitors/test-support/traffic.js';
import { createPayloadLogStore } from '../src/serving/logging/index.js';
import { openDatabase } from '../src/store/db/index.js';
import { fmtInt, fmtMs, fmtTimes, markdownTable, median } from './support/index.js';
import { machineNote } from './support/machine.js';

const windows = Number(process.argv[2] ?? 1000);
const reps = Number(process.argv[3] ?? 3);
const ROWS = 100;
const BATCH = 10;
const fmtPct = (share: number) => `${(100 * share).toFixed(1)} %`;

const dir = mkdtempSync(join(tmpdir(), 'osprey-bench-monitors-'));
const database = await openDatabase(`sqlite:${join(dir, 'osprey.db')}`);
const payloads = createPayloadLogStore(database);
const reference = writeReference(dir, 1000, 1);
let now = T0;
const monitoring = createMonitoring({ database, payloads, clock: () => now });

const spec = (name: string, deployment: string): MonitorSpec =>
  validateMonitorSpec({
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
    window: { rows: ROWS, lateness: '1s' },
    alerts: [
      { name: 'for1', metric: 'feature-drift.detected', comparison: '>=', threshold: 1, for: 1 },
      { name: 'for2', metric: 'feature-drift.detected', comparison: '>=', threshold: 1, for: 2 },
    ],
    seed: 7,
  });

try {
  // 1 + 3: quiet traffic, evaluated `reps` times by fresh monitors over the same log.
  const rng = createRng(2026);
  const end = await logTraffic(payloads, { deployment: 'quiet' }, rng, {
    start: T0,
    requests: (windows * ROWS) / BATCH,
    batch: BATCH,
    prefix: 'q',
  });
  now = end + 60_000;
  const evalMs: number[] = [];
  let flagged = 0;
  let outlierFlags = 0;
  let alerts: Record<string, number> = {};
  for (let r = 0; r < reps; r++) {
    await monitoring.applyMonitor(spec(`quiet-${r}`, 'quiet'));
    const t = performance.now();
    const report = await monitoring.evaluate(`quiet-${r}`);
    evalMs.push(performance.now() - t);
    flagged = report.windows.filter((w) => w.detected.includes('feature-drift')).length;
    outlierFlags = report.windows.filter((w) => w.detected.includes('outliers')).length;
    alerts = { for1: 0, for2: 0 };
    for (const a of report.alerts) alerts[a.rule] = (alerts[a.rule] ?? 0) + 1;
  }
  // Baseline: the same detectors on the same windows, held in memory (no log, no store).
  const baseRng = createRng(2026);
  const inMemory = Array.from({ length: windows }, () => sampleRows(baseRng, ROWS));
  const refRows = sampleRows(createRng(1), 1000);
  const baseMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const drift = new TabularDriftDetector({
      featureNames: ['a', 'b', 'c'],
      features: { c: { type: 'categorical' } },
      combine: 'bonferroni',
    }).fit(refRows);
    const forest = new IsolationForestDetector({ contamination: 0.05, seed: 7 }).fit(
      refRows.map((x) => [x[0], x[1]]),
    );
    for (const w of inMemory) {
      drift.predict(w);
      forest.predict(w.map((x) => [x[0], x[1]]));
    }
    baseMs.push(performance.now() - t);
  }

  // 2: detection delay.
  const delays: string[][] = [];
  for (const shift of [0.25, 0.5, 1]) {
    const found: number[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const deployment = `drift-${shift}-${trial}`;
      const start = T0 + 10 * 86_400_000;
      const last = await logTraffic(payloads, { deployment }, createRng(100 + trial), {
        start,
        requests: (10 * ROWS) / BATCH,
        batch: BATCH,
        shift,
        prefix: deployment,
      });
      now = last + 60_000;
      await monitoring.applyMonitor(spec(deployment, deployment));
      const report = await monitoring.evaluate(deployment);
      const alert = report.alerts.find((a) => a.rule === 'for2');
      found.push(
        alert ? report.windows.findIndex((w) => w.start === alert.windowStart) + 1 : Number.POSITIVE_INFINITY,
      );
    }
    const hit = found.filter(Number.isFinite);
    delays.push([
      `${shift}σ`,
      `${hit.length}/10`,
      hit.length ? String(median(hit)) : '–',
      hit.length ? String(Math.max(...hit)) : '–',
    ]);
  }

  const rows = windows * ROWS;
  console.log(`## Monitoring: monitors\n\n${await machineNote()}\n`);
  console.log(`Command: \`node --import tsx bench/monitors.ts ${windows} ${reps}\`\n`);
  console.log(
    markdownTable(
      ['quiet windows', 'drift test flagged', 'outlier rate flagged', 'alerts (for 1)', 'alerts (for 2)'],
      [
        [
          fmtInt(windows),
          `${flagged} (${fmtPct(flagged / windows)})`,
          `${outlierFlags} (${fmtPct(outlierFlags / windows)})`,
          `${alerts.for1} (${fmtPct((alerts.for1 ?? 0) / windows)} of windows)`,
          `${alerts.for2} (${fmtPct((alerts.for2 ?? 0) / windows)} of windows)`,
        ],
      ],
    ),
  );
  console.log('');
  console.log(markdownTable(['shift of a', 'alerted', 'median windows to alert', 'max'], delays));
  console.log('');
  const e = median(evalMs);
  const b = median(baseMs);
  console.log(
    markdownTable(
      ['path', `median of ${reps} (ms)`, 'rows/s', 'windows/s', 'ratio'],
      [
        [
          'monitor evaluate (log → windows → detectors → store)',
          fmtMs(e),
          fmtInt(rows / (e / 1000)),
          fmtInt(windows / (e / 1000)),
          fmtTimes(e / b),
        ],
        [
          'baseline: same detectors on in-memory windows',
          fmtMs(b),
          fmtInt(rows / (b / 1000)),
          fmtInt(windows / (b / 1000)),
          '1×',
        ],
      ],
    ),
  );
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
