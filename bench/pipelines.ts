// Pipelines: `repro` deciding that nothing changed in an N-stage pipeline, beside a plain loop that
// stats the same dep and out files and compares (size, mtime) with values kept in memory (the least
// any tool must do to notice a change without reading bytes). Both sides run interleaved in the
// same process on the same files; the figure is the median of the repetitions.
//
// The pipeline: stage i reads data/in-i.txt and (for i > 0) the out of stage i-1, reads one param
// (p.s<i>) from params.yaml, and writes out/o-i.txt; so the DAG is one chain of N stages and every
// stage has 2 deps, 1 param and 1 out to check. Osprey's side is the library call the CLI makes
// (load osprey.yaml, build and check the DAG, read the lock and params, hash deps and outs through
// the stat cache, decide) with a data repository opened once, as `osprey repro` does per command.
//
// Usage: node --import tsx bench/pipelines.ts [stages=100] [reps=15] [dir=os.tmpdir()]
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataRepo } from '../src/data/index.js';
import { repro } from '../src/pipelines/index.js';
import { median, timed } from './support/stats.js';

const stages = Number(process.argv[2] ?? 100);
const reps = Number(process.argv[3] ?? 15);
const root = await mkdtemp(join(process.argv[4] ?? tmpdir(), 'osprey-bench-pipelines-'));

async function makeProject(): Promise<string[]> {
  await mkdir(join(root, 'data'), { recursive: true });
  const lines = ['stages:'];
  const params = ['p:'];
  const files: string[] = [];
  for (let i = 0; i < stages; i++) {
    await writeFile(join(root, `data/in-${i}.txt`), `input ${i}\n`);
    const deps = [`data/in-${i}.txt`, ...(i > 0 ? [`out/o-${i - 1}.txt`] : [])];
    lines.push(
      `  s${i}:`,
      `    cmd: mkdir -p out && cat ${deps.join(' ')} > out/o-${i}.txt`,
      `    deps: [${deps.join(', ')}]`,
      `    params: [p.s${i}]`,
      `    outs: [out/o-${i}.txt]`,
    );
    params.push(`  s${i}: ${i}`);
    files.push(`data/in-${i}.txt`, `out/o-${i}.txt`);
  }
  await writeFile(join(root, 'osprey.yaml'), `${lines.join('\n')}\n`);
  await writeFile(join(root, 'params.yaml'), `${params.join('\n')}\n`);
  return files;
}

const files = await makeProject();
const data = await openDataRepo({ root });
try {
  const first = await repro({ root, data }, { jobs: 2 });
  if (first.ran.length !== stages)
    throw new Error(`expected ${stages} stages to run, got ${first.ran.length}`);
  // Outs hashed right after they were written are "racy" for the stat cache: one more pass trusts them.
  await new Promise((r) => setTimeout(r, 50));
  await repro({ root, data });

  const known = new Map(files.map((f) => [f, statSync(join(root, f))]));
  const plainLoop = () => {
    let changed = 0;
    for (const [file, before] of known) {
      const now = statSync(join(root, file), { bigint: false });
      if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) changed += 1;
    }
    return changed;
  };

  const osprey: number[] = [];
  const baseline: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const o = await timed(() => repro({ root, data }));
    if (o.result.skipped.length !== stages)
      throw new Error(`rep ${rep}: something ran: ${o.result.ran.join(', ')}`);
    osprey.push(o.ms);
    const b = await timed(plainLoop);
    if (b.result !== 0) throw new Error('the baseline saw a change');
    baseline.push(b.ms);
  }
  const o = median(osprey);
  const b = median(baseline);
  console.log(`stages=${stages} reps=${reps} load=${loadavg()[0]!.toFixed(1)} node=${process.version}`);
  console.log(
    `| ${stages}-stage no-op repro | Osprey ${o.toFixed(1)} ms | plain stat loop ${b.toFixed(2)} ms | ratio ${(o / b).toFixed(0)}× |`,
  );
} finally {
  await data.close();
  await rm(root, { recursive: true, force: true });
}
