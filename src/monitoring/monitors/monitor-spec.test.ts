import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration, parseMonitorSpec, resolveWindow } from './index.js';

const VALID = `
name: fraud-watch
deployment: fraud
reference: { path: ref.csv }
features: [{ name: a }, { name: b }]
detectors: [{ type: feature-drift }, { type: mmd, name: multi }, { type: outliers }]
window: { duration: 1h, step: 15m }
alerts: [{ metric: multi.p_value, comparison: "<", threshold: 0.01, for: 3 }]
`;

const invalid = (text: string, message: RegExp) =>
  assert.throws(
    () => parseMonitorSpec(text),
    (e: Error & { code?: string }) => e.code === 'INVALID_ARGUMENT' && message.test(e.message),
  );

describe('monitor spec', () => {
  it('fills defaults and resolves a sliding time window', () => {
    const spec = parseMonitorSpec(VALID);
    assert.equal(spec.detectors[0]!.name, 'feature-drift');
    assert.deepEqual(resolveWindow(spec.window), {
      kind: 'duration',
      size: 3_600_000,
      step: 900_000,
      lateness: 5000,
    });
    assert.equal(spec.schedule.interval, 60_000);
    assert.deepEqual(spec.webhooks, []);
    assert.ok(Object.isFrozen(spec));
  });

  it('parses durations and refuses nonsense', () => {
    assert.deepEqual(
      ['250ms', '30s', '5m', '1h', '1d', 42].map(parseDuration),
      [250, 30_000, 300_000, 3_600_000, 86_400_000, 42],
    );
    assert.ok(Number.isNaN(parseDuration('soon')));
  });

  it('names every bad field', () => {
    invalid('name: [', /not valid YAML/);
    invalid('- a list', /must be a mapping/);
    invalid(
      VALID.replace('window: { duration: 1h, step: 15m }', 'window: { rows: 10, duration: 1h }'),
      /window: give exactly one of rows or duration/,
    );
    invalid(VALID.replace('step: 15m', 'step: 2h'), /window.step must not exceed the window size/);
    invalid(VALID.replace('multi.p_value', 'nope'), /alerts\[0\]\.metric: unknown metric "nope"/);
    invalid(
      VALID.replace('{ type: outliers }', '{ type: outliers, features: [zz] }'),
      /unknown feature "zz"/,
    );
    invalid(VALID.replace('{ name: b }', '{ name: a }'), /feature "a" is given twice/);
    invalid(VALID.replace('{ path: ref.csv }', '{}'), /reference: give exactly one of path or uri/);
    invalid(VALID.replace('duration: 1h', 'duration: soon'), /window.duration: must be a positive duration/);
    invalid(`${VALID}webhooks: [ftp://x]\n`, /webhooks\[0\]/);
    invalid(VALID.replace('{ type: mmd, name: multi }', '{ type: kde }'), /detectors\[1\]/);
  });
});
