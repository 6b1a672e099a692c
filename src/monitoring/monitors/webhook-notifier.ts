/**
 * Sends alert events to webhooks (HTTP POST, JSON) in the background: evaluation never waits for
 * a webhook. Failed deliveries (network errors, timeouts, 429 and 5xx) are retried with exponential
 * backoff; other 4xx answers are final. `drain()` waits for deliveries under way (for a CLI that is
 * about to exit, and for tests).
 */
import type { MonitorAlert } from './monitor-store.js';

export interface WebhookNotifierOptions {
  /** Attempts per webhook (default 4). */
  attempts?: number;
  /** First backoff; doubles after each failure (default 250 ms). */
  backoffMs?: number;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Told about a delivery that failed for good. */
  onFailure?: (url: string, alert: MonitorAlert, reason: string) => void;
  fetch?: typeof fetch;
}

export interface WebhookNotifier {
  /** Queues the alert for every URL and returns at once. */
  notify(urls: readonly string[], alert: MonitorAlert): void;
  /** Resolves when every delivery under way has succeeded or given up. */
  drain(): Promise<void>;
}

/** A notifier with retries that never blocks its caller. */
export function createWebhookNotifier(options: WebhookNotifierOptions = {}): WebhookNotifier {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 5000;
  const send = options.fetch ?? fetch;
  const inFlight = new Set<Promise<void>>();

  async function deliver(url: string, alert: MonitorAlert): Promise<void> {
    const body = JSON.stringify({ type: 'io.osprey.monitor.alert', alert });
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        reason = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        reason = (error as Error).message;
      }
      if (attempt < attempts)
        await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
    }
    options.onFailure?.(url, alert, reason);
  }

  return {
    notify(urls, alert) {
      for (const url of urls) {
        const delivery = deliver(url, alert).finally(() => inFlight.delete(delivery));
        inFlight.add(delivery);
      }
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
