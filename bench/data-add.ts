// Data versioning: `osprey data add` and `status` on many small files and on one big file,
// beside the physical limits of the same work on the same disk in the same run: coreutils
// `sha256sum` (one process, and one per core through xargs -P), and `cp` (+ `sync -f`, since add
// fsyncs every object it writes). DVC itself cannot be installed here (no PyPI access), so its
// published figures (/work/shared/reference/pipelines.md §2) are the only comparison with it.
//
// Phases timed, each through the library API a CLI command calls (openDataRepo):
//   add (new)        fresh cache and stat cache: every byte read, hashed, copied, fsynced
//   status (warm)    nothing changed: the stat cache answers, no file is read
//   status (1 edit)  one file changed: only that file is read
//   add (again)      nothing changed: no file read, no object written
//   status (cold)    stat cache deleted: every file re-hashed (the worst case for status)
// Usage: node --import tsx bench/data-add.ts [smallFiles=10000] [bigMiB=2048] [reps=3] [dir=os.tmpdir()]
// Set OSPREY_BENCH_DIST to a compiled tree (e.g. `npx tsc -p tsconfig.build.json --outDir bench/out/dist`,
// then OSPREY_BENCH_DIST=bench/out/dist) to time the JavaScript a user runs: from sources every
// worker thread boots tsx and compiles the worker, which adds ~0.3 s to each command.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, utimesSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';

type DataModule = typeof import('../src/data/index.js');
const dist = process.env.OSPREY_BENCH_DIST;
const { openDataRepo }: DataModule = await import(
  dist ? pathToFileURL(resolve(dist, 'data/index.js')).href : '../src/data/index.js'
);

const MiB = 1024 * 1024;
const cores = availableParallelism();

async function seconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const sh = (script: string, ...args: string[]) => execFileSync('sh', ['-c', script, 'sh', ...args]);

/** 10,000 files of 1-8 KiB of random bytes in 100 directories; mtimes a minute old, as for data written earlier. */
async function makeSmallFiles(dir: string, count: number): Promise<number> {
  let bytes = 0;
  const past = new Date(Date.now() - 60_000);
  for (let d = 0; d < Math.ceil(count / 100); d++) {
    await mkdir(join(dir, `d${d}`), { recursive: true });
    for (let f = 0; f < 100 && d * 100 + f < count; f++) {
      const content = randomBytes(1024 + (((d * 100 + f) * 7919) % (7 * 1024)));
      const path = join(dir, `d${d}`, `f${f}.bin`);
      await writeFile(path, content);
      utimesSync(path, past, past);
      bytes += content.length;
    }
  }
  return bytes;
}

async function makeBigFile(path: string, sizeMiB: number): Promise<void> {
  const block = randomBytes(MiB);
  async function* blocks() {
    for (let i = 0; i < sizeMiB; i++) {
      const chunk = Buffer.from(block);
      chunk.writeUInt32LE(i, 0);
      yield chunk;
    }
  }
  await pipeline(blocks(), createWriteStream(path));
  const past = new Date(Date.now() - 60_000);
  utimesSync(path, past, past);
}

type Times = Map<string, number[]>;

/** Times every osprey phase on `target` (a directory or a file) inside project `root`. */
async function ospreyPhases(root: string, target: string, edit: string, times: Times): Promise<void> {
  const record = async (name: string, work: () => Promise<unknown>) =>
    times.set(name, [...(times.get(name) ?? []), await seconds(work)]);
  await rm(join(root, '.osprey'), { recursive: true, force: true });
  const repo = await openDataRepo({ root });
  try {
    await record('osprey add (new)', () => repo.add([target]));
    await record('osprey status (warm)', async () => {
      const [s] = await repo.status();
      if (s?.workspace !== 'unchanged' || s.hashed !== 0)
        throw new Error(`unexpected status ${JSON.stringify(s)}`);
    });
    await record('osprey add (again)', async () => {
      const [a] = await repo.add([target]);
      if (a?.changed || a?.hashed !== 0) throw new Error(`unexpected re-add ${JSON.stringify(a)}`);
    });
  } finally {
    await repo.close();
  }
  // A fresh repo, as a new CLI process would open it.
  await rm(join(root, '.osprey/state'), { recursive: true, force: true });
  const cold = await openDataRepo({ root });
  try {
    await record('osprey status (cold stat cache)', async () => {
      const [s] = await cold.status();
      if (s?.workspace !== 'unchanged') throw new Error(`unexpected status ${JSON.stringify(s)}`);
    });
    if (edit !== '') {
      // Same size, other bytes, a new mtime: only this file may be read.
      sh('printf x | dd of="$1" bs=1 seek=10 conv=notrunc status=none', edit);
      const past = new Date(Date.now() - 30_000);
      utimesSync(edit, past, past);
      await record('osprey status (1 file edited)', async () => {
        const [s] = await cold.status();
        if (s?.workspace !== 'modified' || s.hashed !== 1)
          throw new Error(`unexpected status ${JSON.stringify(s)}`);
      });
      sh('printf "$2" | dd of="$1" bs=1 seek=10 conv=notrunc status=none', edit, '\\0');
    }
  } finally {
    await cold.close();
  }
}

function report(title: string, times: Times, files: number, bytes: number): void {
  console.log(`\n${title}`);
  console.log('| work | median s | files/s | MB/s |');
  console.log('|---|---:|---:|---:|');
  for (const [name, list] of times) {
    const s = median(list);
    console.log(`| ${name} | ${s.toFixed(3)} | ${Math.round(files / s)} | ${(bytes / 1e6 / s).toFixed(0)} |`);
  }
}

async function main(): Promise<void> {
  const smallFiles = Number(process.argv[2] ?? 10_000);
  const bigMiB = Number(process.argv[3] ?? 2048);
  const reps = Number(process.argv[4] ?? 3);
  const dir = await mkdtemp(join(process.argv[5] ?? tmpdir(), 'osprey-bench-data-'));
  console.log(
    `osprey data add/status, ${reps} reps (medians); files in the page cache, cache on the same disk; ` +
      `load average ${loadavg()[0]?.toFixed(1)} on ${cores} cores; node ${process.version}; ` +
      `code: ${dist ? `compiled (${dist})` : 'TypeScript sources through tsx'}`,
  );
  try {
    if (smallFiles > 0) {
      const root = join(dir, 'small');
      const data = join(root, 'data');
      const bytes = await makeSmallFiles(data, smallFiles);
      const times: Times = new Map();
      const refs: [string, () => unknown][] = [
        [
          'sha256sum (1 process)',
          () => sh('find "$1" -type f -print0 | xargs -0 sha256sum > /dev/null', data),
        ],
        [
          `sha256sum (xargs -P ${cores})`,
          () => sh(`find "$1" -type f -print0 | xargs -0 -P ${cores} -n 500 sha256sum > /dev/null`, data),
        ],
        ['cp -r', () => sh('rm -rf "$2" && cp -r "$1" "$2"', data, join(dir, 'copy'))],
        [
          'cp -r + sync -f',
          () => sh('rm -rf "$2" && cp -r "$1" "$2" && sync -f "$2"', data, join(dir, 'copy')),
        ],
      ];
      for (let rep = 0; rep < reps; rep++) {
        for (const [name, work] of refs) times.set(name, [...(times.get(name) ?? []), await seconds(work)]);
        await ospreyPhases(root, data, join(data, 'd7/f3.bin'), times);
      }
      await rm(join(dir, 'copy'), { recursive: true, force: true });
      report(
        `${smallFiles} small files (1-8 KiB, ${(bytes / 1e6).toFixed(1)} MB total)`,
        times,
        smallFiles,
        bytes,
      );
      await rm(root, { recursive: true, force: true });
    }
    if (bigMiB > 0) {
      const root = join(dir, 'big');
      await mkdir(root, { recursive: true });
      const file = join(root, 'big.bin');
      await makeBigFile(file, bigMiB);
      const times: Times = new Map();
      const copy = join(dir, 'big-copy.bin');
      const refs: [string, () => unknown][] = [
        ['sha256sum', () => sh('sha256sum "$1" > /dev/null', file)],
        // The same OpenSSL SHA-256 as Node's (with the CPU's SHA extensions, which coreutils lacks).
        ['openssl dgst -sha256', () => sh('openssl dgst -sha256 "$1" > /dev/null', file)],
        ['cp', () => sh('rm -f "$2" && cp "$1" "$2"', file, copy)],
        ['cp + sync -f', () => sh('rm -f "$2" && cp "$1" "$2" && sync -f "$2"', file, copy)],
      ];
      const bigReps = Math.max(1, Math.min(reps, 2));
      for (let rep = 0; rep < bigReps; rep++) {
        for (const [name, work] of refs) times.set(name, [...(times.get(name) ?? []), await seconds(work)]);
        await rm(copy, { force: true });
        await ospreyPhases(root, file, '', times);
      }
      report(`one ${bigMiB} MiB file`, times, 1, bigMiB * MiB);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
