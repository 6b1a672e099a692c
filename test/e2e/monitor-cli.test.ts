// `osprey monitor` as a user runs it: traffic in the local payload log, a monitor.yaml beside a
// reference CSV, then run / ls / show / alerts, and clear failures on bad specs and names.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOsprey } from '../../src/app/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { logQuietThenDrifted, writeReference } from '../../src/monitoring/monitors/test-support/traffic.js';
import { createPayloadLogStore } from '../../src/serving/logging/index.js';
import { runCli } from '../support/run-cli.js';

const SPEC = `
name: fraud-watch
deployment: fraud
reference: { path: reference.csv }
features:
  - { name: a, input: x, index: 0 }
  - { name: b, input: x, index: 1 }
  - { name: c, input: c, type: categorical }
detectors:
  - { type: feature-drift, correction: bonferroni }
  - { type: outliers, features: [a, b] }
window: { rows: 100, lateness: 1s }
alerts:
  - { name: drift, metric: feature-drift.detected, comparison: ">=", threshold: 1, for: 2 }
`;

describe('osprey monitor (CLI)', () => {
  let home: string;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'osprey-monitor-cli-'));
    writeReference(home, 500, 1, 'reference.csv');
    writeFileSync(join(home, 'monitor.yaml'), SPEC);
    const osprey = await createOsprey(resolveConfig({ home }, {}));
    try {
      const store = createPayloadLogStore(osprey.database);
      await logQuietThenDrifted(store, 'fraud');
    } finally {
      await osprey.close();
    }
  });
  after(() => rmSync(home, { recursive: true, force: true }));
  const monitor = (...args: string[]) => runCli(['--home', home, 'monitor', ...args]);

  it('run evaluates the windows and raises the drift alert; ls, show and alerts list what it stored', async () => {
    const run = await monitor('run', '-f', join(home, 'monitor.yaml'));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /5 window\(s\) evaluated, 1 alert\(s\) raised/);
    assert.match(run.stdout, /ALERT fraud-watch: drift/);
    const again = await monitor('run', '-f', join(home, 'monitor.yaml'));
    assert.match(again.stdout, /0 window\(s\) evaluated, 0 alert\(s\) raised/);

    const ls = await monitor('ls');
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /fraud-watch.*fraud.*feature-drift, outliers/);
    const show = await monitor('show', 'fraud-watch', '--windows', '2');
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /monitor fraud-watch on deployment fraud/);
    assert.match(show.stdout, /feature-drift/);
    const alerts = await runCli(['--home', home, '--json', 'monitor', 'alerts', '--monitor', 'fraud-watch']);
    assert.equal(alerts.code, 0, alerts.stderr);
    const parsed = JSON.parse(alerts.stdout) as { rule: string; evidence: { consecutiveWindows: number } }[];
    assert.deepEqual(
      parsed.map((a) => [a.rule, a.evidence.consecutiveWindows]),
      [['drift', 2]],
    );
  });

  it('fails clearly on a bad spec, a missing file and an unknown monitor', async () => {
    writeFileSync(join(home, 'bad.yaml'), SPEC.replace('comparison: ">="', 'comparison: "~"'));
    const bad = await monitor('run', '-f', join(home, 'bad.yaml'));
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /alerts\[0\]\.comparison/);
    const missing = await monitor('run', '-f', join(home, 'nope.yaml'));
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /monitor spec not found/);
    const unknown = await monitor('show', 'nobody');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /monitor "nobody" not found/);
  });
});
