import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createWebhookNotifier, type MonitorAlert } from './index.js';

const ALERT: MonitorAlert = {
  monitor: 'm',
  rule: 'r',
  metric: 'rows',
  value: 0,
  windowStart: 0,
  windowEnd: 1,
  time: 2,
  evidence: {},
};

describe('webhook notifier', () => {
  it('returns at once, retries 5xx, gives up on other 4xx and on unreachable hosts, and reports each failure', async () => {
    const hits: Record<string, number> = {};
    const server = createServer((req, res) => {
      hits[req.url as string] = (hits[req.url as string] ?? 0) + 1;
      req.resume();
      req.on('end', () => res.writeHead(req.url === '/gone' ? 404 : 500).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const failures: string[] = [];
    try {
      const notifier = createWebhookNotifier({
        attempts: 3,
        backoffMs: 5,
        onFailure: (url, _alert, reason) => failures.push(`${url.replace(base, '')} ${reason}`),
      });
      notifier.notify([`${base}/down`, `${base}/gone`, 'http://127.0.0.1:1/refused'], ALERT);
      // notify is synchronous: it has returned before any webhook could answer.
      assert.deepEqual(hits, {});
      await notifier.drain();
      assert.deepEqual(hits, { '/down': 3, '/gone': 1 });
      assert.deepEqual(failures.map((f) => f.replace(/refused .*/, 'refused (network error)')).sort(), [
        '/down HTTP 500',
        '/gone HTTP 404',
        'http://127.0.0.1:1/refused (network error)',
      ]);
    } finally {
      server.close();
    }
  });
});
