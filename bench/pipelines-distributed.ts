// Distributed pipelines: N independent stages of `sleep S` run by `repro -j 1` (the serial
// baseline, what DVC does), `repro -j 2` (two local processes) and `distributedRepro` with two
// BullMQ workers on the Redis at 127.0.0.1:6379, in the same run. Each side gets a fresh copy of
// the project (nothing cached), so every stage runs. The workers run in this process (their stages
// are `sh` child processes, so they do run in parallel), each in its own copy of the project, sharing
// data through a directory remote. One repetition per side: the stages are sleeps, so the times are
// steady; the figure to read is the speed-up over the serial run.
//
// Usage: node --import tsx bench/pipelines-distributed.ts [stages=20] [seconds=1]
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { openDataRepo } from '../src/data/index.js';
import { distributedRepro, startStageWorker } from '../src/pipelines/distributed/index.js';
import { repro } from '../src/pipelines/index.js';

const stages = Number(process.argv[2] ?? 20);
const seconds = Number(process.argv[3] ?? 1);
const REDIS = 'redis://127.0.0.1:6379';
const dir = await mkdtemp(join(tmpdir(), 'osprey-bench-distributed-'));

const yaml = [
  'stages:',
  '  s:',
  `    foreach: [${Array.from({ length: stages }, (_, i) => i).join(', ')}]`,
  '    do:',
  `      cmd: sleep ${seconds} && echo \${item} > "out-\${item}.txt"`,
  '      deps: [in.txt]',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: osprey.yaml templating, not JavaScript's
  '      outs: ["out-${item}.txt"]',
  '',
].join('\n');

async function project(name: string, withData: boolean): Promise<string> {
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'osprey.yaml'), yaml);
  if (withData) await writeFile(join(root, 'in.txt'), 'input\n');
  return root;
}

async function timeLocal(jobs: number): Promise<number> {
  const root = await project(`local-j${jobs}`, true);
  const data = await openDataRepo({ root });
  try {
    const start = performance.now();
    const result = await repro({ root, data }, { jobs });
    if (result.ran.length !== stages) throw new Error(`-j ${jobs}: ${result.ran.length} of ${stages} ran`);
    return performance.now() - start;
  } finally {
    await data.close();
  }
}

async function timeDistributed(workers: number): Promise<number> {
  const queue = `osprey-bench-${randomUUID()}`;
  const root = await project('coordinator', true);
  const data = await openDataRepo({ root });
  await data.remotes.add('shared', join(dir, 'remote'));
  const copies = await Promise.all(
    Array.from({ length: workers }, async (_, i) => {
      const copyRoot = await project(`worker-${i}`, false);
      const copyData = await openDataRepo({ root: copyRoot });
      const worker = await startStageWorker({
        url: REDIS,
        queue,
        root: copyRoot,
        data: copyData,
        name: `w${i}`,
      });
      return { copyData, worker };
    }),
  );
  try {
    const start = performance.now();
    const result = await distributedRepro({ root, data }, { executor: { url: REDIS, queue } });
    if (result.ran.length !== stages) throw new Error(`BullMQ: ${result.ran.length} of ${stages} ran`);
    return performance.now() - start;
  } finally {
    for (const { worker, copyData } of copies) {
      await worker.close();
      await copyData.close();
    }
    await data.close();
    const q = new Queue(queue, { connection: { url: REDIS, maxRetriesPerRequest: null } });
    await q.obliterate({ force: true });
    await q.close();
  }
}

try {
  console.log(`${stages} independent stages of sleep ${seconds}; load average ${loadavg()[0]!.toFixed(1)}`);
  const serial = await timeLocal(1);
  const rows: [string, number][] = [
    ['repro -j 1 (serial baseline)', serial],
    ['repro -j 2', await timeLocal(2)],
    ['distributedRepro, 2 BullMQ workers', await timeDistributed(2)],
  ];
  for (const [what, ms] of rows)
    console.log(
      `${what.padEnd(36)} ${(ms / 1000).toFixed(2).padStart(7)} s   speed-up ${(serial / ms).toFixed(2)}×`,
    );
} finally {
  await rm(dir, { recursive: true, force: true });
}
