import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from './s3-blob-store.js';
import { copyObject, planCopyParts } from './s3-copy.js';
import { type S3TestServer, startS3TestServer } from './test-support/s3-test-server.js';

const GiB = 1024 ** 3;

describe('planCopyParts', () => {
  it('covers [0, size) exactly with contiguous inclusive ranges', () => {
    const size = 12 * GiB + 7;
    const parts = planCopyParts(size);
    assert.equal(parts.length, 25); // 24 parts of 512 MiB and one of 7 bytes
    let next = 0;
    for (const [i, part] of parts.entries()) {
      assert.equal(part.partNumber, i + 1);
      assert.equal(part.first, next);
      assert.ok(part.last >= part.first && part.last - part.first + 1 <= 5 * GiB);
      next = part.last + 1;
    }
    assert.equal(next, size);
  });

  it('grows parts to stay within the 10,000-part limit of S3 multipart uploads', () => {
    const size = 5 * 1024 * GiB; // 5 TiB, the largest S3 object
    const parts = planCopyParts(size);
    assert.ok(parts.length <= 10_000);
    assert.equal(parts.at(-1)?.last, size - 1);
  });
});

describe('copyObject against s3rver', () => {
  let server: S3TestServer | undefined;
  before(async () => {
    server = await startS3TestServer();
  });
  after(async () => {
    await server?.close();
  });

  it('copies server-side, and a failed multipart copy is aborted and leaves no object', async () => {
    if (server === undefined) throw new Error('s3rver did not start');
    const client = createS3Client(server.options);
    const Bucket = server.bucket;
    await client.send(new PutObjectCommand({ Bucket, Key: 'from/a b', Body: 'twelve bytes' }));
    await copyObject(client, Bucket, 'from/a b', 'to/small', 12);
    const copied = await client.send(new GetObjectCommand({ Bucket, Key: 'to/small' }));
    assert.equal(await copied.Body?.transformToString(), 'twelve bytes');
    // s3rver does not implement UploadPartCopy, which makes it a faithful failing server here.
    await assert.rejects(copyObject(client, Bucket, 'from/a b', 'to/large', 12, 0), /implemented/i);
    await assert.rejects(client.send(new HeadObjectCommand({ Bucket, Key: 'to/large' })));
  });
});
