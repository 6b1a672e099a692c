import { OspreyError } from '../../errors/index.js';

/**
 * Runs `work` over `items` with at most `limit` at a time. Fails fast: after the first error
 * (or an abort) nothing new starts, the running ones finish, and the first error is thrown.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      if (signal?.aborted) {
        failed = true;
        failure ??= abortError(signal);
        return;
      }
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failed) throw failure;
}

function abortError(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== 'AbortError'
    ? reason
    : new OspreyError('UNAVAILABLE', 'interrupted');
}

/** A queue that runs scheduled tasks at most `limit` at a time; drain() waits for all and rethrows the first error. */
export function createLimiter(limit: number) {
  let running = 0;
  let failure: unknown;
  let failed = false;
  const waiting: (() => Promise<void>)[] = [];
  const idle: (() => void)[] = [];
  const next = () => {
    while (running < limit && waiting.length > 0) {
      const task = waiting.shift()!;
      running += 1;
      task()
        .catch((error: unknown) => {
          if (!failed) failure = error;
          failed = true;
        })
        .finally(() => {
          running -= 1;
          next();
        });
    }
    if (running === 0 && waiting.length === 0) for (const resolve of idle.splice(0)) resolve();
  };
  return {
    schedule(task: () => Promise<void>): void {
      waiting.push(task);
      next();
    },
    async drain(): Promise<void> {
      if (running > 0 || waiting.length > 0) await new Promise<void>((resolve) => idle.push(resolve));
      if (failed) throw failure;
    },
  };
}
