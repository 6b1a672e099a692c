import { OspreyError } from '../../errors/index.js';

/** A request's abort signal: fires at its deadline (DEADLINE_EXCEEDED) or when the client leaves. */
export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer and the client listener once the request is answered. */
  dispose(): void;
}

/** Combines the client's signal with a timeout of `timeoutMs` (none when undefined). */
export function startDeadline(what: string, timeoutMs: number | undefined, client?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          controller.abort(
            new OspreyError('DEADLINE_EXCEEDED', `${what} exceeded its ${timeoutMs} ms deadline`),
          );
        }, timeoutMs);
  const onClientAbort = () => {
    const reason = client?.reason;
    controller.abort(
      reason instanceof OspreyError
        ? reason
        : new OspreyError('UNAVAILABLE', `${what} was cancelled by the client`),
    );
  };
  if (client?.aborted) onClientAbort();
  else client?.addEventListener('abort', onClientAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      client?.removeEventListener('abort', onClientAbort);
    },
  };
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined); // a rejection after the abort has nobody left to tell
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
