// Blob store ingest: FileBlobStore.putFile (hash + copy into the store, fsync, rename) on a
// generated 1 GiB file, beside `sha256sum` of the same file in the same run: any content-addressed
// put must at least read and hash every byte. Three more references separate the costs: Node's
// own streamed hash (sha256File), `openssl dgst -sha256` (the same OpenSSL code as Node's hash,
// which unlike coreutils' sha256sum uses the CPU's SHA extensions), and `cp` + `sync` (the
// copy-and-flush limit of the disk, with no hashing).
// Usage: node --import tsx bench/blob-put.ts [sizeMiB=1024] [reps=3] [dir=os.tmpdir()]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createFileBlobStore, sha256File } from '../src/store/blob/index.js';

const MiB = 1024 * 1024;

/** Writes `sizeMiB` MiB of incompressible bytes (a random block, each copy stamped differently). */
async function generateFile(path: string, sizeMiB: number): Promise<void> {
  const block = randomBytes(MiB);
  async function* blocks() {
    for (let i = 0; i < sizeMiB; i++) {
      const chunk = Buffer.from(block);
      chunk.writeUInt32LE(i, 0);
      yield chunk;
    }
  }
  await pipeline(blocks(), createWriteStream(path));
}

async function seconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const sizeMiB = Number(process.argv[2] ?? 1024);
  const reps = Number(process.argv[3] ?? 3);
  const dir = await mkdtemp(join(process.argv[4] ?? tmpdir(), 'osprey-bench-blob-'));
  try {
    const source = join(dir, 'source.bin');
    await generateFile(source, sizeMiB);
    const bytes = sizeMiB * MiB;
    const store = createFileBlobStore(join(dir, 'store'));
    const expected = execFileSync('sha256sum', [source], { encoding: 'utf8' }).split(' ')[0];
    // That first sha256sum also leaves the file in the page cache for every timed run below.

    const copy = join(dir, 'copy.bin');
    const times = new Map<string, number[]>();
    const timed = async (name: string, work: () => Promise<unknown> | unknown) => {
      times.set(name, [...(times.get(name) ?? []), await seconds(work)]);
    };
    for (let rep = 0; rep < reps; rep++) {
      await timed('sha256sum', () => execFileSync('sha256sum', [source]));
      await timed('openssl dgst -sha256', () => execFileSync('openssl', ['dgst', '-sha256', source]));
      await timed('sha256File (node)', () => sha256File(source));
      await timed('cp + sync (no hash)', () =>
        execFileSync('sh', ['-c', 'cp "$0" "$1" && sync "$1"', source, copy]),
      );
      await rm(copy);
      let digest = '';
      await timed('putFile', async () => {
        digest = (await store.putFile(source)).digest;
      });
      if (digest !== expected) throw new Error(`putFile digest ${digest} differs from sha256sum ${expected}`);
      await store.delete(digest); // every rep stores the bytes anew
    }

    const rate = (s: number) => bytes / 1e6 / s;
    const limit = rate(median(times.get('sha256sum') ?? []));
    console.log(
      `blob put: ${sizeMiB} MiB file, ${reps} reps, medians; source in page cache, store on the same disk; ` +
        `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`,
    );
    console.log('| path | MB/s | vs sha256sum |');
    console.log('|---|---:|---:|');
    for (const [name, list] of times) {
      const mbps = rate(median(list));
      console.log(`| ${name} | ${mbps.toFixed(0)} | ${(mbps / limit).toFixed(2)} |`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
