import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { parse } from 'yaml';
import { type DataRepo, openDataRepo } from '../../src/data/index.js';
import { type Dispatch, distributedRepro } from '../../src/pipelines/distributed/index.js';
import {
  dropQueue,
  REDIS_URL,
  redisSkip,
  uniqueQueue,
} from '../../src/pipelines/distributed/test-support.js';
import { type ReproEvent, readLock } from '../../src/pipelines/index.js';
import { runCli } from '../support/run-cli.js';

// prep fans out to three slow independent stages, which join: with three workers taking one stage
// at a time, the three run on different workers at once.
const pipelineYaml = (failing = '') => `
stages:
  prep:
    cmd: tr a-z A-Z < data/in.txt > prep.txt
    deps: [data/in.txt]
    outs: [prep.txt]
  part:
    foreach: [a, b, c]
    do:
      cmd: sleep 0.4 && ${failing}cat prep.txt > "part-\${item}.txt" && echo "\${item}" >> "part-\${item}.txt"
      deps: [prep.txt]
      outs: ["part-\${item}.txt"]
  join:
    cmd: cat part-a.txt part-b.txt part-c.txt > report.txt
    deps: [part-a.txt, part-b.txt, part-c.txt]
    outs: [report.txt]
`;

/** A program holding only the commands of src/cli/commands/pipeline-export.ts, as `osprey` runs them. */
// The real CLI from source, as the `osprey` bin runs the build.
const LAUNCHER = join(import.meta.dirname, '../support/osprey-cli.ts');

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

function write(root: string, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Starts `osprey worker` in its own copy of the project and resolves once it waits for stages. */
function startWorker(launcher: string, home: string, queue: string, name: string): Promise<WorkerProcess> {
  const args = [
    '--import',
    'tsx',
    launcher,
    '--home',
    home,
    'worker',
    '--executor',
    REDIS_URL,
    '--queue',
    queue,
  ];
  const child = spawn(process.execPath, [...args, '--name', name], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('waiting for stages')) resolve({ child, exited, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`worker ${name} exited with ${code}: ${output}`)));
  });
}

describe('distributed repro on BullMQ workers', {
  skip: await redisSkip(),
}, () => {
  const queue = uniqueQueue();
  let dir: string;
  let root: string;
  let data: DataRepo;
  let workers: WorkerProcess[] = [];
  const homes: string[] = [];

  const run = async () => {
    const dispatches: Dispatch[] = [];
    const events: ReproEvent[] = [];
    const result = await distributedRepro(
      { root, data },
      {
        executor: { url: REDIS_URL, queue },
        onDispatch: (d) => dispatches.push(d),
        onEvent: (e) => events.push(e),
      },
    );
    return { result, dispatches, events };
  };
  const jobsEnqueued = async () => {
    const q = new Queue(queue, {
      connection: { url: REDIS_URL, maxRetriesPerRequest: null },
    });
    try {
      return Object.values(await q.getJobCounts()).reduce((a, b) => a + b, 0);
    } finally {
      await q.close();
    }
  };
  const setPipeline = (yaml: string) => {
    for (const home of [root, ...homes]) write(home, { 'osprey.yaml': yaml });
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'osprey-distributed-'));
    root = join(dir, 'coordinator');
    write(root, { 'osprey.yaml': pipelineYaml(), 'data/in.txt': 'abc\n' });
    data = await openDataRepo({ root, threads: 0 });
    await data.remotes.add('shared', join(dir, 'remote'));
    // Each worker has its own copy of the project's code (osprey.yaml), none of its data.
    for (const name of ['w1', 'w2', 'w3']) {
      const home = join(dir, name);
      write(home, { 'osprey.yaml': pipelineYaml() });
      homes.push(home);
    }
    workers = await Promise.all(homes.map((home, i) => startWorker(LAUNCHER, home, queue, `w${i + 1}`)));
  });
  after(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await data?.close();
    await dropQueue(queue);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every stage on the workers, in dependency order, and records them in the lock', async () => {
    const { result, dispatches } = await run();
    assert.deepEqual(result.failed, []);
    assert.deepEqual([...result.ran].sort(), ['join', 'part@a', 'part@b', 'part@c', 'prep']);
    const at = new Map(dispatches.map((d) => [d.stage, d]));
    for (const part of ['part@a', 'part@b', 'part@c']) {
      assert.ok(
        at.get('prep')!.finishedAt <= at.get(part)!.startedAt,
        `${part} started before prep finished`,
      );
      assert.ok(
        at.get(part)!.finishedAt <= at.get('join')!.startedAt,
        `join started before ${part} finished`,
      );
    }
    const parts = ['part@a', 'part@b', 'part@c'].map((s) => at.get(s)!.worker);
    assert.ok(new Set(parts).size >= 2, `the parallel stages all ran on ${parts[0]}`);
    for (const d of dispatches) assert.match(d.worker, /^w[123]$/);
    // The outs came back through the remote: the workspace and the lock agree.
    assert.equal(readFileSync(join(root, 'report.txt'), 'utf8'), 'ABC\na\nABC\nb\nABC\nc\n');
    const lock = await readLock(root);
    assert.deepEqual([...lock.keys()].sort(), ['join', 'part@a', 'part@b', 'part@c', 'prep']);
  });

  it('enqueues nothing when nothing changed', async () => {
    const before = await jobsEnqueued();
    const { result, dispatches } = await run();
    assert.deepEqual(result.ran, []);
    assert.equal(result.skipped.length, 5);
    assert.deepEqual(dispatches, []);
    assert.equal(await jobsEnqueued(), before);
  });

  it('runs through `osprey repro --executor` after the input changes', async () => {
    write(root, { 'data/in.txt': 'xyz\n' });
    const cli = await runCli([
      '--home',
      root,
      'repro',
      '--executor',
      REDIS_URL,
      '--queue',
      queue,
      '--remote',
      'shared',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(readFileSync(join(root, 'report.txt'), 'utf8'), 'XYZ\na\nXYZ\nb\nXYZ\nc\n');
    write(root, { 'data/in.txt': 'abc\n' });
    const back = await runCli(['--home', root, 'repro', '--executor', REDIS_URL, '--queue', queue]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(readFileSync(join(root, 'report.txt'), 'utf8'), 'ABC\na\nABC\nb\nABC\nc\n');
  });

  it("stops a failing stage's dependants and reports its log tail from the worker", async () => {
    setPipeline(
      pipelineYaml('echo "about to fail on $(cat prep.txt)" && test "$(cat prep.txt)" != "ABC" && '),
    );
    const { result, events } = await run();
    assert.deepEqual([...result.failed].sort(), ['part@a', 'part@b', 'part@c']);
    assert.deepEqual(result.blocked, ['join']);
    const failed = events.find((e) => e.type === 'failed');
    assert.ok(failed?.type === 'failed');
    assert.match(failed.message, /^on w[123]: /);
    assert.deepEqual(failed.tail, ['about to fail on ABC']);
  });
});

/** Runs the real CLI in-process. */
const osprey = (args: string[]) => runCli(args);

describe('osprey pipeline export / run-stage and osprey worker (CLI)', () => {
  let dir: string;
  let root: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'osprey-pipeline-cli-'));
    root = join(dir, 'project');
    write(root, { 'osprey.yaml': pipelineYaml(), 'data/in.txt': 'abc\n' });
    const data = await openDataRepo({ root, threads: 0 });
    await data.remotes.add('shared', join(dir, 'remote'));
    await data.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exports an Argo workflow to a file, sharing data through the default remote', async () => {
    const file = join(dir, 'out', 'workflow.yaml');
    const { code, stderr } = await osprey([
      '--home',
      root,
      'pipeline',
      'export',
      '--target',
      'argo',
      '-o',
      file,
    ]);
    assert.equal(code, 0, stderr);
    const workflow = parse(readFileSync(file, 'utf8')) as {
      kind: string;
      spec: { templates: { container?: { command: string[] } }[] };
    };
    assert.equal(workflow.kind, 'Workflow');
    const prep = workflow.spec.templates[1]!.container!.command;
    assert.deepEqual(prep.slice(0, 6), [
      'osprey',
      'pipeline',
      'run-stage',
      'prep',
      '--remote',
      `file://${join(dir, 'remote')}`,
    ]);
  });

  it('runs one stage as an exported task does, and passes its outs on', async () => {
    const result = join(dir, 'prep-outs.json');
    const prep = await osprey([
      '--home',
      root,
      'pipeline',
      'run-stage',
      'prep',
      '--remote',
      join(dir, 'remote'),
      '--result',
      result,
    ]);
    assert.equal(prep.code, 0, prep.stderr);
    const outs = readFileSync(result, 'utf8');
    assert.match(outs, /"path":"prep.txt"/);
    // Another copy of the project, without prep.txt, gets it from the remote through --inputs.
    const other = join(dir, 'other');
    write(other, { 'osprey.yaml': pipelineYaml() });
    const part = await osprey([
      '--home',
      other,
      'pipeline',
      'run-stage',
      'part@b',
      '--remote',
      join(dir, 'remote'),
      '--inputs',
      outs,
    ]);
    assert.equal(part.code, 0, part.stderr);
    assert.equal(readFileSync(join(other, 'part-b.txt'), 'utf8'), 'ABC\nb\n');
  });

  it('refuses bad input with a message and a non-zero exit', async () => {
    const cases: [string[], number, RegExp][] = [
      [['pipeline', 'export', '--target', 'kfp'], 1, /--target must be argo/],
      [['pipeline', 'export', '--target', 'argo', '--run', 'docker'], 1, /--run must be osprey or cmd/],
      [
        ['pipeline', 'run-stage', 'prep', '--remote', dir, '--inputs', '{nope'],
        1,
        /--inputs must be a JSON array/,
      ],
      [['pipeline', 'run-stage', 'ghost', '--remote', dir], 1, /no stage 'ghost'/],
      [['worker', '--executor', 'http://localhost:6379'], 1, /executor must be a Redis URL/],
      [
        ['worker', '--executor', REDIS_URL, '--concurrency', '0'],
        1,
        /--concurrency must be a positive integer/,
      ],
      [['worker'], 2, /--executor/],
    ];
    for (const [args, want, message] of cases) {
      const { code, stderr } = await osprey(['--home', root, ...args]);
      assert.equal(code, want, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, message, args.join(' '));
    }
  });
});
