import { setTimeout as sleep } from 'node:timers/promises';
import { invalidArgument } from '../../errors/index.js';
import { BoundedQueue } from './bounded-queue.js';
import type { CloudEvent } from './cloud-event.js';
import {
  constantAttributes,
  type PayloadLabels,
  type PayloadRecord,
  toCloudEvent,
} from './payload-record.js';
import type { PayloadSink } from './payload-sink.js';

export interface PayloadLoggerOptions {
  sink: PayloadSink;
  /** Queue slots (default 10,000). When full, new events are dropped and counted, never waited for. */
  capacity?: number;
  /** Events per sink write (default 256). */
  batchSize?: number;
  /** How long a partial batch may wait before it is written (default 200 ms). */
  flushIntervalMs?: number;
  /** Sink retries: delay doubles from `initialDelayMs` up to `maxDelayMs`; a batch is lost after `maxAttempts`. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  /** Uniform [0, 1) source for retry jitter (default Math.random). */
  random?: () => number;
  /** Told about every failed sink write (e.g. to log it); never rethrown into serving. */
  onSinkError?: (error: unknown, attempt: number) => void;
}

/** What one set of labels has logged. */
export interface PayloadChannelStats {
  labels: Readonly<PayloadLabels>;
  /** Events accepted into the queue. */
  logged: number;
  /** Events refused because the queue was full or the logger closed. */
  dropped: number;
  /** Events of this channel waiting in the queue now. */
  queued: number;
}

/** The logger's counters; all monotonic except `queued` and `inFlight`. */
export interface PayloadLoggerStats {
  sink: string;
  capacity: number;
  queued: number;
  /** Events taken from the queue and not yet written (the batch being written or retried). */
  inFlight: number;
  logged: number;
  dropped: number;
  written: number;
  /** Events given up on: retries exhausted, not convertible, or still unwritten at the close deadline. */
  lost: number;
  sinkFailures: number;
  retries: number;
  channels: PayloadChannelStats[];
}

/** The push side for one set of labels. `log` is synchronous, O(1), and never throws. */
export interface PayloadChannel {
  readonly labels: Readonly<PayloadLabels>;
  /** Queues one record; false when it was dropped (queue full or logger closed). */
  log(record: PayloadRecord): boolean;
}

export interface PayloadLogger {
  readonly sink: string;
  /** The channel for `labels` (the same one for equal labels). */
  channel(labels: PayloadLabels): PayloadChannel;
  stats(): PayloadLoggerStats;
  /** Writes everything queued now (with retries); resolves when done or given up. */
  flush(): Promise<void>;
  /** Stops accepting events, writes what is queued within `timeoutMs` (default 5 s), then closes the sink. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

interface Channel extends PayloadChannel {
  readonly constant: Readonly<Record<string, string>>;
  stats: PayloadChannelStats;
}

interface Item {
  channel: Channel;
  record: PayloadRecord;
}

/** A payload logger: a bounded queue in front of `sink`, drained in batches by a background flusher. */
export function createPayloadLogger(options: PayloadLoggerOptions): PayloadLogger {
  const batchSize = positiveInteger(options.batchSize ?? 256, 'batchSize');
  const flushIntervalMs = nonNegative(options.flushIntervalMs ?? 200, 'flushIntervalMs');
  const initialDelayMs = nonNegative(options.retry?.initialDelayMs ?? 100, 'retry.initialDelayMs');
  const maxDelayMs = nonNegative(options.retry?.maxDelayMs ?? 10_000, 'retry.maxDelayMs');
  const maxAttempts = positiveInteger(options.retry?.maxAttempts ?? 8, 'retry.maxAttempts');
  const random = options.random ?? Math.random;
  const { sink } = options;
  const queue = new BoundedQueue<Item>(options.capacity ?? 10_000);
  const channels = new Map<string, Channel>();
  const counters = { written: 0, lost: 0, sinkFailures: 0, retries: 0, closedDrops: 0 };
  let inFlight = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  // Aborted at the close deadline: ends retry sleeps and tells the sink to give up on its write.
  const giveUp = new AbortController();

  function schedule(delayMs: number): void {
    if (timer !== undefined || draining !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void drain(false);
    }, delayMs);
    timer.unref(); // a pending flush never keeps the process alive; close() flushes explicitly
  }

  function drain(all: boolean): Promise<void> {
    const run = (draining ?? Promise.resolve()).then(() => writeQueued(all));
    const tracked = run.finally(() => {
      if (draining === tracked) draining = undefined;
      if (queue.size > 0) schedule(queue.size >= batchSize ? 0 : flushIntervalMs);
    });
    draining = tracked;
    return tracked;
  }

  async function writeQueued(all: boolean): Promise<void> {
    while (queue.size > 0 && !giveUp.signal.aborted) {
      const items = queue.take(batchSize);
      const events: CloudEvent[] = [];
      for (const { channel, record } of items) {
        channel.stats.queued--;
        try {
          events.push(toCloudEvent(record, channel.constant));
        } catch {
          counters.lost++; // e.g. a tensor whose data cannot be rendered as JSON
        }
      }
      inFlight = events.length;
      await writeWithRetry(events);
      inFlight = 0;
      // A partial batch waits for the next tick of the interval unless we are flushing everything.
      if (!all && queue.size < batchSize) return;
    }
  }

  async function writeWithRetry(events: CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.write(events, { signal: giveUp.signal });
        // After the close deadline this batch was already counted as lost.
        if (!giveUp.signal.aborted) counters.written += events.length;
        return;
      } catch (error) {
        if (giveUp.signal.aborted) return;
        counters.sinkFailures++;
        try {
          options.onSinkError?.(error, attempt);
        } catch {
          // a failing error reporter must not stop the flusher
        }
        if (attempt >= maxAttempts) {
          counters.lost += events.length;
          return;
        }
        counters.retries++;
        // Exponential backoff with equal jitter: half the step fixed, half random, so replicas spread out.
        const step = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
        try {
          await sleep(step * (0.5 + 0.5 * random()), undefined, { signal: giveUp.signal });
        } catch {
          return; // the close deadline passed: close() counted this batch as lost
        }
      }
    }
  }

  return {
    sink: sink.uri,
    channel(labels) {
      const key = JSON.stringify([
        labels.deployment,
        labels.node,
        labels.model,
        labels.version,
        labels.route,
      ]);
      const existing = channels.get(key);
      if (existing !== undefined) return existing;
      const frozen = Object.freeze({ ...labels });
      const stats: PayloadChannelStats = { labels: frozen, logged: 0, dropped: 0, queued: 0 };
      const channel: Channel = {
        labels: frozen,
        constant: Object.freeze(constantAttributes(frozen)),
        stats,
        log(record) {
          if (closed || !queue.push({ channel, record })) {
            if (closed) counters.closedDrops++;
            stats.dropped++;
            return false;
          }
          stats.logged++;
          stats.queued++;
          if (timer === undefined && draining === undefined) schedule(flushIntervalMs);
          else if (queue.size === batchSize && timer !== undefined) {
            // A full batch is waiting: write it now rather than at the end of the interval.
            clearTimeout(timer);
            timer = undefined;
            schedule(0);
          }
          return true;
        },
      };
      channels.set(key, channel);
      return channel;
    },
    stats() {
      return {
        sink: sink.uri,
        capacity: queue.capacity,
        queued: queue.size,
        inFlight,
        logged: queue.accepted,
        dropped: queue.dropped + counters.closedDrops,
        written: counters.written,
        lost: counters.lost,
        sinkFailures: counters.sinkFailures,
        retries: counters.retries,
        channels: [...channels.values()].map((c) => ({ ...c.stats })),
      };
    },
    flush: () => drain(true),
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const outcome = await within(closeOptions.timeoutMs ?? 5000, drain(true));
      if (outcome === 'timeout') {
        giveUp.abort();
        // Whatever is still queued or being written will not be: count it, once.
        counters.lost += queue.take(queue.size).length + inFlight;
        inFlight = 0;
        for (const channel of channels.values()) channel.stats.queued = 0;
      }
      await within(
        1000,
        sink.close().catch(() => undefined),
      );
    },
  };
}

/** Waits for `work` at most `ms`; the timer is cleared as soon as the work settles. */
async function within(ms: number, work: Promise<unknown>): Promise<'done' | 'timeout'> {
  const cancel = new AbortController();
  const deadline = sleep(ms, 'timeout' as const, { signal: cancel.signal }).catch(() => 'done' as const);
  try {
    return await Promise.race([work.then(() => 'done' as const), deadline]);
  } finally {
    cancel.abort();
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw invalidArgument(`${name} must be a positive integer`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw invalidArgument(`${name} must be a non-negative number`);
  return value;
}
