import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import { type BlobStore, createBlobStore } from '../../store/blob/index.js';
import { snapshotPaths } from '../stage-status.js';
import { type TestProject, testProject } from '../test-support.js';
import { checkExecutor, createQueueStageRunner, runRemoteStage, startStageWorker } from './index.js';

const PIPELINE = {
  'osprey.yaml': `
stages:
  upper:
    cmd: tr a-z A-Z < data/in.txt > out/upper.txt
    deps: [data/in.txt]
    outs: [out/upper.txt, {out/count.txt: {cache: false}}]
  broken:
    cmd: [echo about to fail, "exit 3"]
    deps: [data/in.txt]
    outs: [out/never.txt]
`,
};

describe('runRemoteStage', () => {
  let coordinator: TestProject;
  let worker: TestProject;
  let remoteDir: string;
  let remote: BlobStore;
  before(async () => {
    // Two copies of one project: the worker's has the code but not the data.
    coordinator = await testProject({ ...PIPELINE, 'data/in.txt': 'hello\n' });
    worker = await testProject(PIPELINE);
    worker.write({
      'osprey.yaml': PIPELINE['osprey.yaml'].replace(
        '> out/upper.txt',
        '> out/upper.txt; wc -c < data/in.txt > out/count.txt',
      ),
    });
    coordinator.write({ 'osprey.yaml': worker.read('osprey.yaml') });
    remoteDir = mkdtempSync(join(tmpdir(), 'osprey-remote-'));
    remote = createBlobStore(remoteDir);
  });
  after(async () => {
    await Promise.all([coordinator.dispose(), worker.dispose()]);
    rmSync(remoteDir, { recursive: true, force: true });
  });

  it('runs a stage on inputs from the remote and pushes every out there, cached or not', async () => {
    const inputs = (await snapshotPaths(coordinator.data, ['data/in.txt'], true)).found;
    await coordinator.data.pushSnapshots(inputs, remote);
    const outcome = await runRemoteStage(
      { root: worker.root, data: worker.data, remote },
      { stage: 'upper', inputs },
    );
    assert.equal(outcome.kind, 'ran');
    if (outcome.kind !== 'ran') return;
    assert.equal(worker.read('out/upper.txt'), 'HELLO\n');
    assert.deepEqual(
      outcome.entry.outs.map((o) => o.path),
      ['out/upper.txt', 'out/count.txt'],
    );
    // The coordinator gets both outs back from the remote alone.
    await coordinator.data.fetchSnapshots(outcome.entry.outs, remote);
    for (const out of outcome.entry.outs)
      await coordinator.data.restore(out.path, { ...out, path: out.path.split('/').pop()! });
    assert.equal(coordinator.read('out/upper.txt'), 'HELLO\n');
    assert.equal(coordinator.read('out/count.txt').trim(), '6');
  });

  it('reports a failing stage with its log tail, and refuses a stage whose commands differ', async () => {
    const inputs = (await snapshotPaths(coordinator.data, ['data/in.txt'], true)).found;
    const failed = await runRemoteStage(
      { root: worker.root, data: worker.data, remote },
      { stage: 'broken', inputs },
    );
    assert.equal(failed.kind, 'failed');
    if (failed.kind === 'failed') {
      assert.match(failed.message, /exit 3 failed \(exit code 3\)/);
      assert.deepEqual(failed.tail, ['about to fail']);
    }
    await assert.rejects(
      runRemoteStage(
        { root: worker.root, data: worker.data, remote },
        { stage: 'upper', cmd: ['other'], inputs },
      ),
      (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT',
    );
    await assert.rejects(
      runRemoteStage({ root: worker.root, data: worker.data, remote }, { stage: 'nope', inputs }),
      (e: unknown) => isOspreyError(e) && e.code === 'NOT_FOUND',
    );
  });
});

describe('checkExecutor', () => {
  it('accepts Redis URLs and BullMQ-safe queue names only', () => {
    assert.deepEqual(checkExecutor({ url: 'redis://127.0.0.1:6379' }), {
      url: 'redis://127.0.0.1:6379',
      queue: 'osprey-stages',
    });
    for (const bad of [
      { url: 'http://x:1' },
      { url: 'redis://h:1', queue: 'a:b' },
      { url: 'redis://h:1', queue: '' },
    ])
      assert.throws(
        () => checkExecutor(bad),
        (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT',
      );
  });
});

describe('an unreachable Redis', () => {
  it('is UNAVAILABLE for the coordinator and for a worker, not a hang', async () => {
    const project = await testProject(PIPELINE);
    try {
      const url = 'redis://127.0.0.1:1';
      const unavailable = (e: unknown) =>
        isOspreyError(e) && e.code === 'UNAVAILABLE' && /127.0.0.1:1/.test(e.message);
      await assert.rejects(
        createQueueStageRunner({
          url,
          readyTimeoutMs: 300,
          data: project.data,
          remote: createBlobStore(project.root),
        }),
        unavailable,
      );
      await assert.rejects(
        startStageWorker({ url, readyTimeoutMs: 300, root: project.root, data: project.data }),
        unavailable,
      );
    } finally {
      await project.dispose();
    }
  });
});
