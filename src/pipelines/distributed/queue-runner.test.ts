import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBlobStore } from '../../store/blob/index.js';
import type { StageContext } from '../execute-stage.js';
import { loadDag } from '../repro.js';
import { openRunCache } from '../run-cache.js';
import { snapshotPaths } from '../stage-status.js';
import { type TestProject, testProject } from '../test-support.js';
import {
  createQueueStageRunner,
  type Dispatch,
  type QueueStageRunner,
  type StageWorker,
  startStageWorker,
} from './index.js';
import { dropQueue, REDIS_URL, redisSkip, uniqueQueue } from './test-support.js';

const CODE = {
  'osprey.yaml': `
stages:
  first:
    cmd: tr a-z A-Z < in.txt > a.txt
    deps: [in.txt]
    outs: [a.txt]
  second:
    cmd: rev a.txt > b.txt
    deps: [a.txt]
    outs: [b.txt]
  broken:
    cmd: [echo the last words, "exit 4"]
    deps: [in.txt]
    outs: [never.txt]
`,
};

describe('createQueueStageRunner with stage workers', { skip: await redisSkip() }, () => {
  const queue = uniqueQueue();
  let coordinator: TestProject;
  let copies: TestProject[];
  let workers: StageWorker[];
  let runner: QueueStageRunner;
  let remoteDir: string;
  let ctx: StageContext;
  const dispatches: Dispatch[] = [];

  before(async () => {
    coordinator = await testProject({ ...CODE, 'in.txt': 'abc\n' });
    copies = await Promise.all([testProject(CODE), testProject(CODE)]);
    workers = await Promise.all(
      copies.map((p, i) =>
        startStageWorker({ url: REDIS_URL, queue, root: p.root, data: p.data, name: `w${i}` }),
      ),
    );
    remoteDir = mkdtempSync(join(tmpdir(), 'osprey-remote-'));
    runner = await createQueueStageRunner({
      url: REDIS_URL,
      queue,
      data: coordinator.data,
      remote: createBlobStore(remoteDir),
      onDispatch: (d) => dispatches.push(d),
    });
    ctx = {
      root: coordinator.root,
      data: coordinator.data,
      runCache: openRunCache(join(coordinator.root, '.osprey', 'rc')),
      logDir: join(coordinator.root, '.osprey', 'logs'),
      ignore: async () => undefined,
    };
  });
  after(async () => {
    await runner.close();
    await Promise.all(workers.map((w) => w.close()));
    await dropQueue(queue);
    await Promise.all([coordinator, ...copies].map((p) => p.dispose()));
    rmSync(remoteDir, { recursive: true, force: true });
  });

  const stage = async (name: string) => (await loadDag(coordinator.root)).dag.byName.get(name)!;
  const deps = async (paths: string[]) => (await snapshotPaths(coordinator.data, paths)).found;

  it('runs stages on the workers and checks their outs out here', async () => {
    const first = await runner.run(ctx, await stage('first'), await deps(['in.txt']), {});
    assert.equal(first.kind, 'ran');
    assert.equal(coordinator.read('a.txt'), 'ABC\n');
    const second = await runner.run(ctx, await stage('second'), await deps(['a.txt']), {});
    assert.equal(second.kind, 'ran');
    assert.equal(coordinator.read('b.txt'), 'CBA\n');
    assert.deepEqual(
      dispatches.map((d) => d.stage),
      ['first', 'second'],
    );
    for (const d of dispatches) assert.match(d.worker, /^w[01]$/);
    assert.ok(dispatches[0]!.finishedAt <= dispatches[1]!.startedAt);
  });

  it("reports a stage failing on a worker with the worker's log tail", async () => {
    const outcome = await runner.run(ctx, await stage('broken'), await deps(['in.txt']), {});
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind !== 'failed') return;
    assert.match(outcome.message, /^on w[01]: exit 4 failed \(exit code 4\)/);
    assert.deepEqual(outcome.tail, ['the last words']);
  });
});
