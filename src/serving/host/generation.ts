import type { Deployment } from '../graph/index.js';
import type { ModelEndpoint } from '../types.js';
import type { ModelPin } from './model-pins.js';

/**
 * One loaded version of a deployment. Requests count themselves in and out, so a generation that has
 * been swapped out is unloaded only once the requests it already accepted have finished.
 */
export interface Generation {
  readonly deployment: Deployment;
  /** The deployment as requests reach it (with payload logging when the spec asks for it). */
  readonly endpoint: ModelEndpoint;
  readonly pins: readonly ModelPin[];
  readonly loadedAt: number;
  inFlight(): number;
  /** Runs `work` counted as in flight. */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once no request is in flight (at once if none is), or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void>;
}

export function createGeneration(
  deployment: Deployment,
  endpoint: ModelEndpoint,
  pins: readonly ModelPin[],
  loadedAt: number,
): Generation {
  let inFlight = 0;
  const waiters = new Set<() => void>();
  const settle = () => {
    if (inFlight > 0) return;
    for (const wake of waiters) wake();
    waiters.clear();
  };
  return {
    deployment,
    endpoint,
    pins,
    loadedAt,
    inFlight: () => inFlight,
    async track(work) {
      inFlight += 1;
      try {
        return await work();
      } finally {
        inFlight -= 1;
        settle();
      }
    },
    drained(timeoutMs) {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        timer.unref?.();
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    },
  };
}
