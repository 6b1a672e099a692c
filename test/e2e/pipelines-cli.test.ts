import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../support/run-cli.js';

const CLI = join(import.meta.dirname, '../support/osprey-cli.ts');
const roots: string[] = [];
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'osprey-pipelines-cli-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content);
  return root;
}

const PIPELINE = `
stages:
  prepare:
    cmd: echo preparing && sort raw.txt > sorted.txt
    deps: [raw.txt]
    outs: [sorted.txt]
  count:
    foreach: [a, b]
    do:
      cmd: grep -c \${item} sorted.txt > count-\${item}.txt
      deps: [sorted.txt]
      outs: ["count-\${item}.txt"]
`;

async function waitFor(predicate: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('osprey repro / dag (CLI)', () => {
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('runs the pipeline with prefixed output, then nothing; prints the DAG', async () => {
    const root = project({ 'osprey.yaml': PIPELINE, 'raw.txt': 'b\na\nb\n' });
    const first = await runCli(['--home', root, 'repro', '-j', '2']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Running stage 'prepare' \(not in the lock\)/);
    assert.match(first.stdout, /^\[prepare\] preparing$/m);
    assert.match(first.stdout, /3 ran$/);
    assert.equal(readFileSync(join(root, 'count-b.txt'), 'utf8'), '2\n');
    assert.deepEqual(Object.keys(parse(readFileSync(join(root, 'osprey.lock'), 'utf8')).stages), [
      'count@a',
      'count@b',
      'prepare',
    ]);

    const second = await runCli(['--home', root, 'repro']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Stage 'count@a' didn't change, skipping/);
    assert.match(second.stdout, /3 unchanged$/);

    const dag = await runCli(['--home', root, 'dag']);
    assert.equal(dag.stdout, 'prepare\ncount@a <- prepare\ncount@b <- prepare');
    const mermaid = await runCli(['--home', root, 'dag', '--mermaid']);
    assert.match(mermaid.stdout, /^flowchart TD\n {2}s0\["prepare"\]/);
    assert.match(mermaid.stdout, /s0 --> s1\n {2}s0 --> s2$/);
    const json = await runCli(['--home', root, '--json', 'repro', '--dry-run']);
    assert.deepEqual(JSON.parse(json.stdout).skipped, ['prepare', 'count@a', 'count@b']);
  });

  it('exits 1 with the failing stage log tail, and 2 on a bad --jobs', async () => {
    const root = project({
      'osprey.yaml':
        'stages:\n  bad:\n    cmd: echo line one && echo line two >&2 && exit 4\n    outs: [x]\n',
    });
    const failed = await runCli(['--home', root, 'repro']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Stage 'bad' failed: .*exit code 4/);
    assert.match(failed.stderr, /--- last 2 lines of .*bad\.log ---\nline one\nline two/);
    assert.match(failed.stderr, /stage\(s\) failed: bad/);
    assert.equal((await runCli(['--home', root, 'repro', '-j', '0'])).code, 2);
  });

  it('reports cycles, missing deps and overlapping outs before running anything', async () => {
    const cases: [string, RegExp][] = [
      [
        'stages:\n  a: {cmd: touch ran a.txt, deps: [b.txt], outs: [a.txt]}\n  b: {cmd: touch ran b.txt, deps: [a.txt], outs: [b.txt]}\n',
        /the pipeline has a cycle: 'a' → 'b' → 'a'/,
      ],
      ['stages:\n  a: {cmd: touch ran, deps: [nowhere.csv], outs: [a.txt]}\n', /'a' needs nowhere\.csv/],
      [
        'stages:\n  a: {cmd: touch ran, outs: [out]}\n  b: {cmd: touch ran, outs: [out/sub.txt]}\n',
        /overlapping outputs:\n {2}out\/sub\.txt \(of 'b'\) is inside out \(of 'a'\)/,
      ],
      ['stages:\n  a: {cmd: touch ran, outs: [{x: {cache: maybe}}]}\n', /osprey\.yaml: stage 'a', outs\[0\]/],
    ];
    for (const [yaml, message] of cases) {
      const root = project({ 'osprey.yaml': yaml });
      const result = await runCli(['--home', root, 'repro']);
      assert.equal(result.code, 1, yaml);
      assert.match(result.stderr, message);
      assert.equal(existsSync(join(root, 'ran')), false, 'nothing ran');
    }
  });

  it('on SIGTERM kills the running stage, exits 130 and locks only finished stages', async () => {
    const root = project({
      'osprey.yaml': `
stages:
  quick:
    cmd: echo q > quick.txt
    outs: [quick.txt]
  slow:
    cmd: echo $$ > slow.pid && exec sleep 60
    deps: [quick.txt]
    outs: [slow.txt]
`,
    });
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--home', root, 'repro'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitFor(
      () => existsSync(join(root, 'slow.pid')) && readFileSync(join(root, 'slow.pid'), 'utf8').endsWith('\n'),
      'the slow stage',
    );
    const pid = Number(readFileSync(join(root, 'slow.pid'), 'utf8'));
    child.kill('SIGTERM');
    assert.equal(await exited, 130, stdout);
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the stage process is gone');
    assert.deepEqual(Object.keys(parse(readFileSync(join(root, 'osprey.lock'), 'utf8')).stages), ['quick']);
  });
});
