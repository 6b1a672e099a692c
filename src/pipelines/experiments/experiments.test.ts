import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { connect, type OspreyClient, type Run } from '../../client/index.js';
import { type TestProject, testProject } from '../test-support.js';
import { expandSets, metricsDiff, paramsDiff, runExperiments } from './index.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

// acc = lr × depth; depth 9 or more fails; with a marks dir, waits (bounded) until two executions
// have started and records how many it saw, which proves they ran at once.
const TRAIN = `set -e
test "$2" -lt 9
if [ -n "$3" ]; then
  touch "$3/$1-$2"
  i=0
  while [ "$(ls "$3" | wc -l)" -lt 2 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
  peers=$(ls "$3" | wc -l)
else
  peers=0
fi
mkdir -p out
cat data.txt > out/model
echo "$1" >> out/model
awk -v lr="$1" -v d="$2" -v p="$peers" 'BEGIN { printf "{\\"acc\\": %s, \\"eval\\": {\\"peers\\": %d}, \\"note\\": \\"x\\"}\\n", lr * d, p }' > metrics.json
`;
const pipeline = (marks = '') => `
stages:
  train:
    cmd: sh train.sh \${train.lr} \${depth} ${marks}
    deps: [data.txt, train.sh]
    params: [train.lr, depth]
    outs: [out]
    metrics: [{metrics.json: {cache: false}}]
`;
const PARAMS = '# learning\ntrain:\n  lr: 0.5\n  epochs: 2\ndepth: 2\n';

const git = (root: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: root,
  }).toString();

describe('experiments', () => {
  let project: TestProject;
  let home: string;
  let client: OspreyClient;
  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'osprey-exp-home-'));
    client = await connect({ home, env: {} });
  });
  afterEach(async () => {
    await client.close();
    await project?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  const setup = async () => {
    project = await testProject({
      'osprey.yaml': pipeline(),
      'params.yaml': PARAMS,
      'data.txt': 'rows\n',
      'train.sh': TRAIN,
    });
    git(project.root, 'init', '-q');
    const first = await project.repro();
    assert.deepEqual(first.failed, []);
    git(project.root, 'add', '.');
    git(project.root, 'commit', '-qm', 'baseline');
  };
  const runsOf = (ids: string[]): Promise<Run[]> => Promise.all(ids.map((id) => client.getRun(id)));
  const paramsOf = (run: Run) => Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
  const metricsOf = (run: Run) => Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));

  it('expands -S specs into their cross product', () => {
    assert.deepEqual(expandSets(['a=1,2', 'b.c=x,y']), [
      { a: '1', 'b.c': 'x' },
      { a: '1', 'b.c': 'y' },
      { a: '2', 'b.c': 'x' },
      { a: '2', 'b.c': 'y' },
    ]);
    assert.throws(() => expandSets(['=1']), /key=value/);
  });

  it('runs a 2×2 sweep in isolated workspaces, one run each with params, metrics and lineage', async () => {
    await setup();
    const before = { params: project.read('params.yaml'), metrics: project.read('metrics.json') };
    const sets = expandSets(['train.lr=0.1,0.2', 'depth=3,5']);
    const results = await runExperiments({
      root: project.root,
      data: project.data,
      client,
      sets,
      threads: 0,
    });
    assert.deepEqual(
      results.map((r) => r.status),
      ['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED'],
    );
    const runs = await runsOf(results.map((r) => r.runId));
    const expected = [
      ['0.1', '3', 0.3],
      ['0.1', '5', 0.5],
      ['0.2', '3', 0.6],
      ['0.2', '5', 1],
    ] as const;
    const head = git(project.root, 'rev-parse', 'HEAD').trim();
    const experiment = await client.getExperimentByName(project.root.split('/').pop()!);
    for (const [i, run] of runs.entries()) {
      const [lr, depth, acc] = expected[i]!;
      assert.equal(run.info.experimentId, experiment.experimentId);
      assert.equal(run.info.status, 'FINISHED');
      assert.deepEqual(paramsOf(run), { 'train.lr': lr, 'train.epochs': '2', depth });
      const metrics = metricsOf(run);
      assert.ok(Math.abs(metrics.acc! - acc) < 1e-9, `acc ${metrics.acc} ≠ ${acc}`);
      assert.equal(metrics['eval.peers'], 0);
      assert.equal(metrics.note, undefined);
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
      assert.equal(tags['osprey.exp.set'], `train.lr=${lr} depth=${depth}`);
      assert.equal(tags['mlflow.source.git.commit'], head);
      assert.deepEqual(run.inputs.datasetInputs.map((d) => [d.dataset.name, d.dataset.digest]).sort(), [
        ['data.txt', `sha256:${sha('rows\n')}`],
        ['train.sh', `sha256:${sha(TRAIN)}`],
      ]);
    }
    // The workspaces' outputs went to the project's own cache (shared, not copied).
    const model = sha('rows\n0.2\n');
    assert.ok(existsSync(join(project.data.layout.cacheDir, model.slice(0, 2), model.slice(2))));
    // The project itself is untouched; the comment in params.yaml survives in the workspaces' copies.
    assert.equal(project.read('params.yaml'), before.params);
    assert.equal(project.read('metrics.json'), before.metrics);
  });

  it('runs -j 2 executions at once', async () => {
    const marks = mkdtempSync(join(tmpdir(), 'osprey-exp-marks-'));
    try {
      await setup();
      project.write({ 'osprey.yaml': pipeline(marks) });
      const sets = expandSets(['depth=3,4']);
      const results = await runExperiments({
        root: project.root,
        data: project.data,
        client,
        sets,
        jobs: 2,
        threads: 0,
      });
      assert.deepEqual(
        results.map((r) => r.metrics['eval.peers']),
        [2, 2],
      );
    } finally {
      rmSync(marks, { recursive: true, force: true });
    }
  });

  it('reports a failing execution as a FAILED run and logs the others', async () => {
    await setup();
    const sets = expandSets(['depth=3,9,4']);
    const results = await runExperiments({
      root: project.root,
      data: project.data,
      client,
      sets,
      threads: 0,
    });
    assert.deepEqual(
      results.map((r) => r.status),
      ['FINISHED', 'FAILED', 'FINISHED'],
    );
    assert.match(results[1]!.error!, /stage 'train' failed/);
    const runs = await runsOf(results.map((r) => r.runId));
    assert.deepEqual(
      runs.map((r) => r.info.status),
      ['FINISHED', 'FAILED', 'FINISHED'],
    );
    assert.equal(paramsOf(runs[1]!).depth, '9');
    assert.equal(metricsOf(runs[2]!).acc, 2);
  });

  it('diffs params and metrics between HEAD, the workspace and runs', async () => {
    await setup();
    project.write({ 'params.yaml': PARAMS.replace('depth: 2', 'depth: 4').replace('lr: 0.5', 'lr: 0.25') });
    assert.deepEqual(await paramsDiff({ root: project.root }), [
      { key: 'depth', old: 2, new: 4, change: 2 },
      { key: 'train.lr', old: 0.5, new: 0.25, change: -0.25 },
    ]);
    assert.deepEqual(await metricsDiff({ root: project.root }), []);
    await project.repro();
    assert.deepEqual(await metricsDiff({ root: project.root, a: 'HEAD' }), []);
    const [a, b] = await runExperiments({
      root: project.root,
      data: project.data,
      client,
      sets: expandSets(['depth=3,5']),
      threads: 0,
    });
    assert.deepEqual(await metricsDiff({ root: project.root, client, a: a!.runId, b: b!.runId }), [
      { key: 'acc', old: 0.75, new: 1.25, change: 0.5 },
    ]);
    assert.deepEqual(await paramsDiff({ root: project.root, client, a: a!.runId, b: b!.runId }), [
      { key: 'depth', old: '3', new: '5', change: undefined },
    ]);
    await assert.rejects(paramsDiff({ root: project.root, a: 'no-such-thing' }), /neither a git revision/);
  });
});
