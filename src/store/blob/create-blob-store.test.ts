import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isOspreyError } from '../../errors/index.js';
import { type BlobInfo, createBlobStore } from './index.js';
import { parseS3Uri } from './s3-uri.js';
import { type S3TestServer, startS3TestServer } from './test-support/s3-test-server.js';

const invalid = (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT';

let server: S3TestServer | undefined;
let dir = '';
before(async () => {
  server = await startS3TestServer();
  dir = await mkdtemp(join(tmpdir(), 'osprey-create-blob-'));
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createBlobStore', () => {
  it('opens a local directory from a plain path (absolute or relative) or a file:// URL', () => {
    const root = join(dir, 'blobs');
    assert.equal(createBlobStore(root).uri, pathToFileURL(root).href);
    assert.equal(createBlobStore('rel/blobs').uri, pathToFileURL(resolve('rel/blobs')).href);
    assert.equal(createBlobStore(pathToFileURL(root).href).uri, pathToFileURL(root).href);
  });

  it('rejects empty URIs, unknown schemes and malformed S3 URIs with INVALID_ARGUMENT', () => {
    assert.throws(() => createBlobStore(''), invalid);
    assert.throws(() => createBlobStore('gs://bucket/x'), invalid);
    assert.throws(() => createBlobStore('constructor://x'), invalid);
    assert.throws(() => createBlobStore('file://remote-host/share'), invalid);
    assert.throws(() => createBlobStore('s3://'), invalid);
    assert.throws(() => createBlobStore('s3://Upper_Case/x'), invalid);
  });

  it('parses s3://bucket/prefix, trimming slashes', () => {
    assert.deepEqual(parseS3Uri('s3://models'), { bucket: 'models', prefix: '' });
    assert.deepEqual(parseS3Uri('s3://models/team/a/'), { bucket: 'models', prefix: 'team/a' });
    assert.throws(() => parseS3Uri('s3:///x'), invalid);
  });

  it('opens an S3 bucket from s3:// with plain options, at the bucket root or under a prefix', async () => {
    if (server === undefined) throw new Error('s3rver did not start');
    const rootStore = createBlobStore(`s3://${server.bucket}`, { s3: server.options });
    const prefixed = createBlobStore(`s3://${server.bucket}/team/a/`, { s3: server.options });
    assert.equal(prefixed.uri, `s3://${server.bucket}/team/a`);
    assert.equal(rootStore.uri, `s3://${server.bucket}`);
    const one = await rootStore.put(Buffer.from('at the root'));
    const two = await prefixed.put(Buffer.from('under a prefix'));
    assert.equal(await text(await rootStore.get(one.digest)), 'at the root');
    assert.equal(await text(await prefixed.get(two.digest)), 'under a prefix');
    const listed: BlobInfo[] = [];
    for await (const info of prefixed.list()) listed.push(info);
    assert.deepEqual(listed, [two]);
    const atRoot: BlobInfo[] = [];
    for await (const info of rootStore.list()) atRoot.push(info);
    assert.deepEqual(atRoot, [one], 'keys under a prefix are not blobs of the root store');
    assert.equal(await prefixed.head(one.digest), undefined);
  });
});
