// Helpers for the distributed pipeline tests (excluded from the build).
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { Queue } from 'bullmq';

/** The Redis the distributed tests use (CI always has it). */
export const REDIS_URL = 'redis://127.0.0.1:6379';

function reachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(6379, '127.0.0.1', () => done(true));
  });
}

/**
 * False when Redis is up; otherwise the reason to skip, said loudly. Under CI=true an unreachable
 * Redis is a failure, not a skip.
 */
export async function redisSkip(): Promise<string | false> {
  if (await reachable()) return false;
  if (process.env.CI === 'true') throw new Error(`Redis at ${REDIS_URL} is unreachable, and CI requires it`);
  console.warn(`\n*** SKIPPING distributed pipeline tests: Redis at ${REDIS_URL} is unreachable ***\n`);
  return `Redis unreachable at ${REDIS_URL}`;
}

/** A queue name no other test uses. */
export const uniqueQueue = () => `osprey-test-${randomUUID()}`;

/** Removes every key of a test queue. */
export async function dropQueue(name: string): Promise<void> {
  const queue = new Queue(name, { connection: { url: REDIS_URL, maxRetriesPerRequest: null } });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}
