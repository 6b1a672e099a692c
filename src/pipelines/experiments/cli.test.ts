import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../../test/support/run-cli.js';

const PIPELINE = `
stages:
  train:
    cmd: 'test \${depth} -lt 9 && echo "{\\"acc\\": \${depth}}" > metrics.json'
    params: [depth]
    metrics: [{metrics.json: {cache: false}}]
`;

describe('osprey exp run / params diff / metrics diff', () => {
  const root = mkdtempSync(join(tmpdir(), 'osprey-exp-cli-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'osprey.yaml'), PIPELINE);
  writeFileSync(join(root, 'params.yaml'), 'depth: 2\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root });

  it('sweeps, reports failures with exit 1, and diffs params and metrics', async () => {
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'baseline');
    const sweep = await runCli(['--home', root, '--json', 'exp', 'run', '-S', 'depth=3,5', '-j', '2']);
    assert.equal(sweep.code, 0, sweep.stderr);
    const [a, b] = JSON.parse(sweep.stdout) as { runId: string; metrics: Record<string, number> }[];
    assert.deepEqual([a!.metrics, b!.metrics], [{ acc: 3 }, { acc: 5 }]);

    const metrics = await runCli(['--home', root, '--json', 'metrics', 'diff', a!.runId, b!.runId]);
    assert.deepEqual(JSON.parse(metrics.stdout), [{ key: 'acc', old: 3, new: 5, change: 2 }]);
    writeFileSync(join(root, 'params.yaml'), 'depth: 7\n');
    const params = await runCli(['--home', root, 'params', 'diff']);
    assert.equal(params.code, 0, params.stderr);
    assert.match(params.stdout, /│ depth │ 2 +│ 7 +│ 5 +│/);
    assert.equal(readFileSync(join(root, 'params.yaml'), 'utf8'), 'depth: 7\n');

    const failing = await runCli(['--home', root, 'exp', 'run', '-S', 'depth=4,9']);
    assert.equal(failing.code, 1);
    assert.match(failing.stderr, /1 of 2 execution\(s\) failed/);
    const bad = await runCli(['--home', root, 'exp', 'run', '-S', 'depth']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /key=value/);
  });
});
