// A worker for the pool tests: echoes payloads, exits the thread on { crash: true }, and refuses to
// start when workerData says so.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../worker-pool.js';

const port = parentPort!;
if ((workerData as { failInit?: boolean }).failInit) {
  port.postMessage({
    type: 'init-error',
    error: { message: 'no model here', code: 'NOT_FOUND' },
  } satisfies FromWorker);
} else {
  port.postMessage({ type: 'ready', info: { threadId } } satisfies FromWorker);
}
port.on('message', ({ id, payload }: ToWorker) => {
  const p = payload as { crash?: boolean; wait?: number; fail?: string };
  if (p.crash) process.exit(1);
  if (p.fail) {
    port.postMessage({
      id,
      ok: false,
      error: { message: p.fail, code: 'INVALID_ARGUMENT' },
    } satisfies FromWorker);
    return;
  }
  setTimeout(
    () => port.postMessage({ id, ok: true, result: { payload, threadId } } satisfies FromWorker),
    p.wait ?? 0,
  );
});
