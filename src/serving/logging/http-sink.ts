import { invalidArgument, OspreyError } from '../../errors/index.js';
import { type CloudEvent, toBinaryMessage } from './cloud-event.js';
import { fragmentOptions, numberOption, type PayloadSink, redactUri } from './payload-sink.js';

/** How events travel over HTTP (CloudEvents HTTP protocol binding 1.0). */
export type HttpSinkMode = 'structured' | 'binary';

export interface HttpSinkOptions {
  /**
   * `structured` (default): one POST per batch, `application/cloudevents-batch+json` (HTTP binding §3.3,
   * batched content mode). `binary`: one POST per event with `ce-*` headers and the data as body (§3.1),
   * what Seldon's executor and KServe's agent send; the binding has no batched binary mode, so a batch
   * becomes up to `concurrency` parallel requests.
   */
  mode?: HttpSinkMode;
  timeoutMs?: number;
  concurrency?: number;
  fetch?: typeof globalThis.fetch;
}

const FRAGMENT_OPTIONS = ['mode', 'timeoutMs', 'concurrency'] as const;

/**
 * A sink that POSTs events to `url` (http: or https:). Options may also come from the URI fragment,
 * e.g. `https://collector/events#mode=binary&timeoutMs=5000`. Credentials in the URI become Basic auth.
 */
export function createHttpSink(url: URL, options: HttpSinkOptions = {}): PayloadSink {
  const fromUri = fragmentOptions(url, FRAGMENT_OPTIONS);
  const mode = options.mode ?? fromUri.mode ?? 'structured';
  if (mode !== 'structured' && mode !== 'binary')
    throw invalidArgument(`HTTP sink mode must be 'structured' or 'binary', got '${mode}'`);
  const timeoutMs = options.timeoutMs ?? numberOption(fromUri, 'timeoutMs', 10_000);
  const concurrency = options.concurrency ?? numberOption(fromUri, 'concurrency', 8);
  const doFetch = options.fetch ?? globalThis.fetch;
  const target = new URL(url.href);
  const auth: Record<string, string> = {};
  if (target.username !== '' || target.password !== '') {
    const user = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    auth.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  target.username = '';
  target.password = '';
  target.hash = '';
  const uri = redactUri(url);
  // In-flight requests end at close instead of holding the process for the whole timeout.
  const closing = new AbortController();

  async function post(headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<void> {
    const signals = [AbortSignal.timeout(timeoutMs), closing.signal];
    if (signal !== undefined) signals.push(signal);
    let response: Response;
    try {
      response = await doFetch(target, {
        method: 'POST',
        headers: { ...auth, ...headers },
        body,
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      throw new OspreyError('UNAVAILABLE', `payload sink ${uri}: ${(error as Error).message}`);
    }
    // Drain the body so the connection goes back to the pool.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok)
      throw new OspreyError('UNAVAILABLE', `payload sink ${uri} answered HTTP ${response.status}`);
  }

  async function writeBinary(events: readonly CloudEvent[], signal?: AbortSignal): Promise<void> {
    let next = 0;
    const failures: unknown[] = [];
    const worker = async () => {
      while (next < events.length) {
        const message = toBinaryMessage(events[next++]!);
        await post(message.headers, message.body, signal).catch((error: unknown) => failures.push(error));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, events.length) }, worker));
    // The whole batch is retried; receivers treat a repeated (source, id) as a duplicate (spec.md §3.1.1 `id`).
    if (failures.length > 0) throw failures[0];
  }

  return {
    uri,
    async write(events, writeOptions) {
      if (events.length === 0) return;
      if (mode === 'binary') return writeBinary(events, writeOptions?.signal);
      await post(
        { 'content-type': 'application/cloudevents-batch+json; charset=utf-8' },
        JSON.stringify(events),
        writeOptions?.signal,
      );
    },
    async close() {
      closing.abort();
    },
  };
}
