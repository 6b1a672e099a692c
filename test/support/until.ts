import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `check` every 10 ms until it holds, failing with `what` after `ms` (default 20 s: generous,
 * because a loaded CI machine can stall a process for seconds; a passing check returns at once).
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await delay(10);
  }
}
