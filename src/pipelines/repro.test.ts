import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import { type TestProject, testProject } from './test-support.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const sorted = (names: readonly string[]) => [...names].sort();

// prepare → train → evaluate, plus report (independent); each appends to runs.log when it runs.
const PIPELINE = `
stages:
  prepare:
    cmd: echo prepare >> runs.log && tr a-z A-Z < raw.txt > prepared.txt
    deps: [raw.txt]
    params: [prepare.upper]
    outs: [prepared.txt]
  train:
    cmd: echo train >> runs.log && mkdir -p model && cat prepared.txt > model/weights && echo \${train.lr} > model/lr
    deps: [prepared.txt]
    params: [train.lr]
    outs: [model]
  evaluate:
    cmd: echo evaluate >> runs.log && echo acc=0.9 > metrics.json
    deps: [model]
    metrics: [{metrics.json: {cache: false}}]
  report:
    cmd: echo report >> runs.log && echo \${report.title} > report.txt
    params: [report.title]
    outs: [report.txt]
`;
const PARAMS = 'prepare: {upper: true}\ntrain: {lr: 0.1}\nreport: {title: hello}\n';

describe('repro', () => {
  let project: TestProject;
  afterEach(() => project?.dispose());

  it('runs every stage in dependency order, then nothing the second time', async () => {
    project = await testProject({ 'osprey.yaml': PIPELINE, 'params.yaml': PARAMS, 'raw.txt': 'abc\n' });
    const first = await project.repro();
    assert.deepEqual(sorted(first.ran), ['evaluate', 'prepare', 'report', 'train']);
    const log = project.read('runs.log').trim().split('\n');
    assert.ok(
      log.indexOf('prepare') < log.indexOf('train') && log.indexOf('train') < log.indexOf('evaluate'),
    );
    assert.equal(project.read('model/weights'), 'ABC\n');
    // Cached outs are left to the cache, like `osprey data add` does; metrics with cache: false are for git.
    assert.deepEqual(sorted(project.read('.gitignore').trim().split('\n')), [
      '/model',
      '/prepared.txt',
      '/report.txt',
    ]);

    const second = await project.repro();
    assert.deepEqual(second.ran, []);
    assert.deepEqual(sorted(second.skipped), ['evaluate', 'prepare', 'report', 'train']);
    assert.equal(project.read('runs.log').trim().split('\n').length, 4);
  });

  it('writes a deterministic lock with the cmd, dep/out digests and param values', async () => {
    project = await testProject({ 'osprey.yaml': PIPELINE, 'params.yaml': PARAMS, 'raw.txt': 'abc\n' });
    await project.repro();
    const text = project.read('osprey.lock');
    const lock = parse(text);
    assert.equal(lock.schema, 1);
    assert.deepEqual(Object.keys(lock.stages), ['evaluate', 'prepare', 'report', 'train']);
    assert.deepEqual(lock.stages.prepare, {
      cmd: 'echo prepare >> runs.log && tr a-z A-Z < raw.txt > prepared.txt',
      deps: [{ path: 'raw.txt', digest: `sha256:${sha('abc\n')}`, size: 4 }],
      params: { 'params.yaml': { 'prepare.upper': true } },
      outs: [{ path: 'prepared.txt', digest: `sha256:${sha('ABC\n')}`, size: 4 }],
    });
    assert.equal(
      lock.stages.train.cmd,
      'echo train >> runs.log && mkdir -p model && cat prepared.txt > model/weights && echo 0.1 > model/lr',
    );
    assert.deepEqual(lock.stages.train.outs[0].nfiles, 2);
    assert.equal(lock.stages.train.outs[0].isDir, true);
    assert.equal(lock.stages.evaluate.outs[0].digest, `sha256:${sha('acc=0.9\n')}`);
    // The cached directory out is in the data cache (its manifest object is there).
    const manifest = lock.stages.train.outs[0].digest.slice(7);
    assert.ok(existsSync(join(project.root, '.osprey/cache', manifest.slice(0, 2), manifest.slice(2))));
    // A no-op repro rewrites nothing.
    await project.repro();
    assert.equal(project.read('osprey.lock'), text);
  });

  it('re-runs only the dependants of a changed param, and what a changed dep feeds', async () => {
    project = await testProject({ 'osprey.yaml': PIPELINE, 'params.yaml': PARAMS, 'raw.txt': 'abc\n' });
    await project.repro();
    project.write({ 'params.yaml': PARAMS.replace('lr: 0.1', 'lr: 0.2') });
    const changed = await project.repro();
    assert.deepEqual(sorted(changed.ran), ['evaluate', 'train']);
    assert.deepEqual(sorted(changed.skipped), ['prepare', 'report']);
    const start = changed.events.find((e) => e.type === 'start' && e.stage === 'train');
    assert.deepEqual(start && 'reasons' in start ? start.reasons : [], [
      'cmd changed',
      'param train.lr (params.yaml) changed',
    ]);

    project.write({ 'raw.txt': 'xyz\n' });
    const dep = await project.repro({ targets: ['train'] });
    assert.deepEqual(sorted(dep.ran), ['prepare', 'train']);
    assert.equal(project.read('model/weights'), 'XYZ\n');
  });

  it('re-runs a stage whose out was deleted or modified; --force runs all; dry-run runs nothing', async () => {
    project = await testProject({ 'osprey.yaml': PIPELINE, 'params.yaml': PARAMS, 'raw.txt': 'abc\n' });
    await project.repro();
    project.write({ 'report.txt': 'tampered\n' });
    const dry = await project.repro({ dryRun: true });
    assert.deepEqual(dry.wouldRun, ['report']);
    assert.equal(project.read('report.txt'), 'tampered\n');
    // Restored from the run cache: same cmd and params, so the command does not run again.
    const fixed = await project.repro();
    assert.deepEqual(fixed.restored, ['report']);
    assert.equal(project.read('report.txt'), 'hello\n');
    const forced = await project.repro({ force: true, targets: ['report'] });
    assert.deepEqual(forced.ran, ['report']);
  });

  it('restores outputs from the run cache after a param is reverted, without running', async () => {
    project = await testProject({
      'osprey.yaml': `
stages:
  train:
    cmd: echo run >> count && echo lr=\${lr} > model.txt
    params: [lr]
    outs: [model.txt]
`,
      'params.yaml': 'lr: 1\n',
    });
    assert.deepEqual((await project.repro()).ran, ['train']);
    project.write({ 'params.yaml': 'lr: 2\n' });
    assert.deepEqual((await project.repro()).ran, ['train']);
    assert.equal(project.read('model.txt'), 'lr=2\n');
    project.write({ 'params.yaml': 'lr: 1\n' });
    const reverted = await project.repro();
    assert.deepEqual(reverted.ran, []);
    assert.deepEqual(reverted.restored, ['train']);
    assert.equal(project.read('model.txt'), 'lr=1\n');
    assert.equal(project.read('count'), 'run\nrun\n');
    assert.equal(parse(project.read('osprey.lock')).stages.train.params['params.yaml'].lr, 1);
  });

  it('runs commands in the wdir with paths relative to it, and restores a deleted out', async () => {
    project = await testProject({
      'osprey.yaml': `
stages:
  here:
    wdir: sub
    cmd: echo run >> ../count && basename "$PWD" > where.txt && cat ../top.txt >> where.txt
    deps: [../top.txt]
    outs: [where.txt]
`,
      'top.txt': 'top\n',
      'sub/.keep': '',
    });
    assert.deepEqual((await project.repro()).ran, ['here']);
    assert.equal(project.read('sub/where.txt'), 'sub\ntop\n');
    const lock = parse(project.read('osprey.lock'));
    assert.deepEqual(
      [lock.stages.here.deps[0].path, lock.stages.here.outs[0].path],
      ['top.txt', 'sub/where.txt'],
    );
    rmSync(join(project.root, 'sub/where.txt'));
    const again = await project.repro();
    assert.deepEqual(again.restored, ['here']);
    assert.equal(project.read('sub/where.txt'), 'sub\ntop\n');
    assert.equal(project.read('count'), 'run\n');
  });

  it('dry-run marks the dependants of what would run; always_changed runs, frozen never does', async () => {
    project = await testProject({
      'osprey.yaml': `
stages:
  fetch:
    cmd: echo fetch >> runs.log && date +%s%N > fetched.txt
    always_changed: true
    outs: [fetched.txt]
  use:
    cmd: echo use >> runs.log && cat fetched.txt > used.txt
    deps: [fetched.txt]
    outs: [used.txt]
  pinned:
    cmd: echo pinned >> runs.log
    frozen: true
`,
    });
    assert.deepEqual(sorted((await project.repro()).ran), ['fetch', 'use']);
    const dry = await project.repro({ dryRun: true });
    assert.deepEqual(dry.wouldRun, ['fetch', 'use']);
    assert.deepEqual(dry.skipped, ['pinned']);
    const would = dry.events.find((e) => e.type === 'would-run' && e.stage === 'use');
    assert.deepEqual(would?.type === 'would-run' ? would.reasons : [], ['an upstream stage would run']);
    assert.equal(project.read('runs.log'), 'fetch\nuse\n');
    const again = await project.repro();
    assert.deepEqual(again.ran, ['fetch', 'use']);
  });

  it('runs independent stages concurrently with jobs: 2', async () => {
    // Each stage waits (up to 20 s) for the other to have started: only concurrent runs both finish.
    const waitFor = (other: string) =>
      `touch ${other === 'b' ? 'a' : 'b'}.started; i=0; while [ ! -e ${other}.started ]; do sleep 0.02; i=$((i+1)); [ $i -gt 1000 ] && exit 3; done; echo done > ${other === 'b' ? 'a' : 'b'}.out`;
    project = await testProject({
      'osprey.yaml': `
stages:
  a:
    cmd: ${JSON.stringify(waitFor('b'))}
    outs: [a.out]
  b:
    cmd: ${JSON.stringify(waitFor('a'))}
    outs: [b.out]
  after:
    cmd: cat a.out b.out > both.out
    deps: [a.out, b.out]
    outs: [both.out]
`,
    });
    const result = await project.repro({ jobs: 2 });
    assert.deepEqual(result.failed, []);
    assert.deepEqual(sorted(result.ran), ['a', 'after', 'b']);
    assert.equal(result.ran.at(-1), 'after');
    assert.equal(project.read('both.out'), 'done\ndone\n');
  });

  it('stops the dependants of a failing stage, finishes the rest, and shows its log', async () => {
    project = await testProject({
      'osprey.yaml': `
stages:
  ok:
    cmd: echo ok > ok.txt
    outs: [ok.txt]
  broken:
    cmd: echo about to fail && echo oops >&2 && exit 7
    outs: [broken.txt]
  downstream:
    cmd: cat broken.txt > d.txt
    deps: [broken.txt]
    outs: [d.txt]
  after-ok:
    cmd: cat ok.txt > after.txt
    deps: [ok.txt]
    outs: [after.txt]
`,
    });
    const result = await project.repro();
    assert.deepEqual(result.failed, ['broken']);
    assert.deepEqual(result.blocked, ['downstream']);
    assert.deepEqual(sorted(result.ran), ['after-ok', 'ok']);
    const failed = result.events.find((e) => e.type === 'failed');
    assert.ok(failed?.type === 'failed');
    assert.match(failed.message, /exit code 7/);
    assert.deepEqual(failed.tail, ['about to fail', 'oops']);
    assert.equal(readFileSync(failed.logFile!, 'utf8'), 'about to fail\noops\n');
    const output = result.events.filter((e) => e.type === 'output' && e.stage === 'broken');
    assert.deepEqual(
      output.map((e) => (e.type === 'output' ? [e.stream, e.line] : [])),
      [
        ['stdout', 'about to fail'],
        ['stderr', 'oops'],
      ],
    );
    assert.deepEqual(Object.keys(parse(project.read('osprey.lock')).stages), ['after-ok', 'ok']);
  });

  it('fails a stage whose commands did not write a declared out', async () => {
    project = await testProject({
      'osprey.yaml': 'stages:\n  lazy:\n    cmd: "true"\n    outs: [never.txt]\n',
    });
    const result = await project.repro();
    assert.deepEqual(result.failed, ['lazy']);
    const failed = result.events.find((e) => e.type === 'failed');
    assert.match(failed?.type === 'failed' ? failed.message : '', /did not write never\.txt/);
    assert.equal(existsSync(join(project.root, 'osprey.lock')), false);
  });

  it('on abort kills running stages and locks only the finished ones', async () => {
    project = await testProject({
      'osprey.yaml': `
stages:
  quick:
    cmd: echo q > quick.txt
    outs: [quick.txt]
  slow:
    cmd: touch slow.started && sleep 30 && echo s > slow.txt
    deps: [quick.txt]
    outs: [slow.txt]
`,
    });
    const controller = new AbortController();
    const started = Date.now();
    const result = await project.repro({
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'start' && e.stage === 'slow') {
          const poll = setInterval(() => {
            if (!existsSync(join(project.root, 'slow.started'))) return;
            clearInterval(poll);
            controller.abort();
          }, 10);
        }
      },
    });
    assert.equal(result.interrupted, true);
    assert.deepEqual(result.ran, ['quick']);
    assert.ok(Date.now() - started < 20_000, 'the sleeping stage was killed');
    assert.deepEqual(Object.keys(parse(project.read('osprey.lock')).stages), ['quick']);
    assert.equal(existsSync(join(project.root, 'slow.txt')), false);
  });
});
