// One suite, every implementation: the local directory store and the S3 store against a real
// S3-compatible server (s3rver) running in this process. Digests are checked against two
// FIPS 180-2 SHA-256 test vectors and, for generated content, against node:crypto.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { isOspreyError } from '../../errors/index.js';
import { type BlobInfo, type BlobStore, createBlobStore, type S3Options, sha256File } from './index.js';
import { createS3BlobStore, createS3Client } from './s3-blob-store.js';
import { type S3TestServer, startS3TestServer } from './test-support/s3-test-server.js';

const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'; // FIPS 180-2 B.1
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./test-support/slow-put-child.ts', import.meta.url));

interface Harness {
  store: BlobStore;
  /** Flips one byte of a stored object behind the store's back. */
  corrupt(digest: string): Promise<void>;
  /** createBlobStore arguments that open the same store in another process. */
  childArgs: [string, { s3?: S3Options }];
  /** Whether a killed writer is known to leave a temporary behind (a file store's temp file). */
  killLeavesTemp: boolean;
}

function sha256(bytes: Uint8Array): BlobInfo {
  return { digest: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listAll(store: BlobStore): Promise<BlobInfo[]> {
  const out: BlobInfo[] = [];
  for await (const info of store.list()) out.push(info);
  return out;
}

function hasCode(code: string, message?: RegExp) {
  return (error: unknown) =>
    isOspreyError(error) && error.code === code && (message === undefined || message.test(error.message));
}

async function* chunked(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
}

function flipMiddleByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const at = Math.floor(copy.length / 2);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

function runChildUntilStarted(args: Harness['childArgs']): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--no-warnings', '--import', 'tsx', CHILD, args[0], JSON.stringify(args[1])],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('child did not start its put within 60 s'));
    }, 60_000);
    child.stdout.on('data', (data: Buffer) => {
      if (!data.toString().includes('started')) return;
      // Let the writes (or the first S3 part) get under way, then kill without warning.
      setTimeout(() => child.kill('SIGKILL'), 300);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited with code ${code} before it was killed`));
    });
  });
}

function contract(name: string, setup: () => Promise<Harness>): void {
  describe(`${name} blob store contract`, () => {
    it('stores and returns content under its SHA-256 (FIPS 180-2 vectors)', async () => {
      const { store } = await setup();
      assert.deepEqual(await store.put(Buffer.from('abc')), { digest: ABC_SHA256, size: 3 });
      assert.deepEqual(await store.put(new Uint8Array(0)), { digest: EMPTY_SHA256, size: 0 });
      assert.equal((await collect(await store.get(ABC_SHA256))).toString(), 'abc');
      assert.equal((await collect(await store.get(EMPTY_SHA256))).length, 0);
      assert.deepEqual(await store.head(ABC_SHA256), { digest: ABC_SHA256, size: 3 });
    });

    it('streams Readables and async iterables of any chunking, including multipart sizes', async () => {
      const { store } = await setup();
      const content = randomBytes(7 * 1024 * 1024 + 17); // two parts of the S3 harness's 5 MiB
      const info = await store.put(chunked(content, 300_001));
      assert.deepEqual(info, sha256(content));
      assert.deepEqual(await store.put(Readable.from(chunked(content, 65_536))), info);
      assert.ok((await collect(await store.get(info.digest))).equals(content));
    });

    it('put is idempotent', async () => {
      const { store } = await setup();
      const first = await store.put(Buffer.from('same bytes'));
      const second = await store.put(Readable.from([Buffer.from('same '), Buffer.from('bytes')]));
      assert.deepEqual(second, first);
      assert.deepEqual(await listAll(store), [first]);
    });

    it('stores nothing when the expected digest or size does not match', async () => {
      const { store } = await setup();
      const content = Buffer.from('payload');
      const actual = sha256(content);
      await assert.rejects(
        store.put(content, { digest: ABC_SHA256 }),
        hasCode('INVALID_ARGUMENT', /expected/),
      );
      await assert.rejects(store.put(content, { size: 3 }), hasCode('INVALID_ARGUMENT', /expected size/));
      await assert.rejects(store.put(content, { size: 100 }), hasCode('INVALID_ARGUMENT'));
      assert.equal(await store.head(actual.digest), undefined);
      assert.deepEqual(await listAll(store), []);
      assert.equal(await store.cleanTemp(0), 0, 'no temporary left behind');
      assert.deepEqual(await store.put(content, actual), actual);
    });

    it('get, head and getToFile of a missing digest', async () => {
      const { store } = await setup();
      await assert.rejects(store.get(ABC_SHA256), hasCode('NOT_FOUND'));
      assert.equal(await store.head(ABC_SHA256), undefined);
      const dir = await mkdtemp(join(tmpdir(), 'osprey-blob-out-'));
      await assert.rejects(store.getToFile(ABC_SHA256, join(dir, 'out')), hasCode('NOT_FOUND'));
      assert.deepEqual(await readdir(dir), []);
      await rm(dir, { recursive: true });
    });

    it('detects corruption on read and never publishes corrupted bytes to a file', async () => {
      const { store, corrupt } = await setup();
      const content = randomBytes(200_000);
      const { digest } = await store.put(content);
      await corrupt(digest);
      await assert.rejects(collect(await store.get(digest)), hasCode('INTERNAL', /corrupted/));
      const dir = await mkdtemp(join(tmpdir(), 'osprey-blob-out-'));
      const target = join(dir, 'model.onnx');
      await writeFile(target, 'previous version');
      await assert.rejects(store.getToFile(digest, target), hasCode('INTERNAL', /corrupted/));
      assert.equal(await readFile(target, 'utf8'), 'previous version');
      assert.deepEqual(await readdir(dir), ['model.onnx'], 'no temporary left beside the target');
      // Ranges are documented as unverified: they still serve the stored bytes.
      assert.equal((await collect(await store.get(digest, { start: 0, end: 9 }))).length, 10);
      await rm(dir, { recursive: true });
    });

    it('serves inclusive byte ranges like fs.createReadStream', async () => {
      const { store } = await setup();
      const { digest } = await store.put(Buffer.from('0123456789'));
      const read = async (start: number, end?: number) => text(await store.get(digest, { start, end }));
      assert.equal(await read(2, 5), '2345');
      assert.equal(await read(3), '3456789');
      assert.equal(await read(0, 0), '0');
      assert.equal(await read(7, 100), '789');
      assert.equal(await read(10), '');
      assert.equal(await read(25, 30), '');
      await assert.rejects(store.get(digest, { start: 5, end: 4 }), hasCode('INVALID_ARGUMENT'));
      await assert.rejects(store.get(digest, { start: -1 }), hasCode('INVALID_ARGUMENT'));
      await assert.rejects(store.get(digest, { start: 1.5 }), hasCode('INVALID_ARGUMENT'));
    });

    it('lists every blob in digest order, and only blobs', async () => {
      const { store } = await setup();
      const infos = await Promise.all(['a', 'bb', 'ccc', 'dddd'].map((s) => store.put(Buffer.from(s))));
      const expected = [...infos].sort((x, y) => x.digest.localeCompare(y.digest));
      assert.deepEqual(await listAll(store), expected);
    });

    it('deletes, and deleting an absent blob is not an error', async () => {
      const { store } = await setup();
      const kept = await store.put(Buffer.from('kept'));
      const gone = await store.put(Buffer.from('gone'));
      await store.delete(gone.digest);
      assert.equal(await store.head(gone.digest), undefined);
      await assert.rejects(store.get(gone.digest), hasCode('NOT_FOUND'));
      await store.delete(gone.digest);
      assert.deepEqual(await listAll(store), [kept]);
    });

    it('rejects malformed digests everywhere (no path traversal)', async () => {
      const { store } = await setup();
      const bad = [
        '../../etc/passwd',
        ABC_SHA256.toUpperCase(),
        ABC_SHA256.slice(0, 40),
        `${ABC_SHA256}0`,
        '',
      ];
      for (const digest of bad) {
        await assert.rejects(store.get(digest), hasCode('INVALID_ARGUMENT', /invalid blob digest/), digest);
        await assert.rejects(store.head(digest), hasCode('INVALID_ARGUMENT'), digest);
        await assert.rejects(store.delete(digest), hasCode('INVALID_ARGUMENT'), digest);
        await assert.rejects(store.getToFile(digest, join(tmpdir(), 'x')), hasCode('INVALID_ARGUMENT'));
        await assert.rejects(store.put(Buffer.from('x'), { digest }), hasCode('INVALID_ARGUMENT'), digest);
      }
      await assert.rejects(store.put(Buffer.from('x'), { size: -1 }), hasCode('INVALID_ARGUMENT'));
      await assert.rejects(store.put(42 as unknown as Uint8Array), hasCode('INVALID_ARGUMENT'));
      assert.deepEqual(await listAll(store), []);
    });

    it('concurrent puts of the same content all succeed and store it once', async () => {
      const { store } = await setup();
      const content = randomBytes(1024 * 1024);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.put(chunked(content, 10_000 + i * 1000))),
      );
      for (const info of results) assert.deepEqual(info, sha256(content));
      assert.deepEqual(await listAll(store), [sha256(content)]);
      assert.ok((await collect(await store.get(sha256(content).digest))).equals(content));
      assert.equal(await store.cleanTemp(0), 0);
    });

    it('a failing source stores nothing and leaves no temporary', async () => {
      const { store } = await setup();
      async function* failing(): AsyncIterable<Uint8Array> {
        yield Buffer.alloc(100_000, 1);
        throw new Error('source broke');
      }
      await assert.rejects(store.put(failing()), /source broke/);
      assert.deepEqual(await listAll(store), []);
      assert.equal(await store.cleanTemp(0), 0);
    });

    it('putFile and getToFile round-trip a local file, replacing the target atomically', async () => {
      const { store } = await setup();
      const dir = await mkdtemp(join(tmpdir(), 'osprey-blob-files-'));
      const source = join(dir, 'weights.bin');
      const content = randomBytes(3 * 1024 * 1024 + 5);
      await writeFile(source, content);
      const info = await store.putFile(source);
      assert.deepEqual(info, sha256(content));
      assert.deepEqual(await sha256File(source), info);
      const target = join(dir, 'restored.bin');
      await writeFile(target, 'old');
      await store.getToFile(info.digest, target);
      assert.ok((await readFile(target)).equals(content));
      assert.deepEqual((await readdir(dir)).sort(), ['restored.bin', 'weights.bin'], 'no temporary left');
      const nested = join(dir, 'checkout', 'models', 'weights.bin');
      await store.getToFile(info.digest, nested);
      assert.ok((await readFile(nested)).equals(content));
      await assert.rejects(store.putFile(join(dir, 'absent')), hasCode('NOT_FOUND'));
      await assert.rejects(store.putFile(dir), hasCode('INVALID_ARGUMENT'));
      await rm(dir, { recursive: true });
    });

    it('a process killed with SIGKILL mid-put leaves no visible object', async () => {
      const { store, childArgs, killLeavesTemp } = await setup();
      await runChildUntilStarted(childArgs);
      assert.deepEqual(await listAll(store), []);
      // Whatever the child left (a temp file, an unfinished upload) is only ever collectable.
      const removed = await store.cleanTemp(0);
      if (killLeavesTemp) assert.ok(removed >= 1, 'the child was killed while writing its temp file');
      assert.deepEqual(await listAll(store), []);
      assert.equal(await store.cleanTemp(0), 0);
    });
  });
}

const roots: string[] = [];
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

contract('file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'osprey-blobs-'));
  roots.push(root);
  return {
    store: createBlobStore(root),
    async corrupt(digest) {
      const path = join(root, digest.slice(0, 2), digest.slice(2));
      await chmod(path, 0o644);
      await writeFile(path, flipMiddleByte(await readFile(path)));
    },
    childArgs: [root, {}],
    killLeavesTemp: true,
  };
});

let server: S3TestServer | undefined;
before(async () => {
  server = await startS3TestServer();
});
after(async () => {
  await server?.close();
});

contract('s3', async () => {
  if (server === undefined) throw new Error('s3rver did not start');
  const { bucket, options } = server;
  const prefix = `runs/${randomUUID()}`;
  const client = createS3Client(options);
  return {
    store: createS3BlobStore({ client, bucket, prefix, partSize: 5 * 1024 * 1024 }),
    async corrupt(digest) {
      const key = `${prefix}/${digest.slice(0, 2)}/${digest.slice(2)}`;
      const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from(await stored.Body!.transformToByteArray());
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: flipMiddleByte(bytes) }));
    },
    childArgs: [`s3://${bucket}/${prefix}`, { s3: options }],
    // An unfinished multipart upload is invisible to listings; only a finished temp key shows.
    killLeavesTemp: false,
  };
});
