// Child process for the "killed mid-put" test: starts a put from a stream that never ends,
// says "started" once a good part of it is written, and waits to be killed with SIGKILL.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBlobStore } from '../index.js';

const [uri, optionsJson] = process.argv.slice(2);
if (uri === undefined) throw new Error('usage: slow-put-child.ts <uri> [options-json]');
const store = createBlobStore(uri, optionsJson ? JSON.parse(optionsJson) : {});

async function* endless(): AsyncIterable<Uint8Array> {
  // 6 MiB at once so that an S3 multipart upload has created its upload and sent a part.
  for (let i = 0; i < 6; i++) yield randomBytes(1024 * 1024);
  process.stdout.write('started\n');
  for (;;) {
    await sleep(20);
    yield randomBytes(64 * 1024);
  }
}

await store.put(endless());
