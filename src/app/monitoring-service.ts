import type { Registry } from 'prom-client';
import { createMonitoring, createWebhookNotifier, type Monitoring } from '../monitoring/index.js';
import { createPayloadLogStore } from '../serving/logging/index.js';
import type { Database } from '../store/db/index.js';
import type { Tracking } from '../tracking/index.js';

/**
 * Monitors over the payload log in the metadata database; a `runs:/<run>/<path>` reference is read
 * from the run's artifacts, and alerts go to the specs' webhooks.
 */
export function createMonitoringService(deps: {
  database: Database;
  tracking: Tracking;
  metrics?: Registry;
}): {
  monitoring: Monitoring;
  /**
   * Evaluates every monitor on its schedule, picking up monitors created later (checked every
   * `discoverMs`); stops with close().
   */
  runSchedules(onError: (error: unknown, monitor: string) => void, discoverMs?: number): void;
  close(): Promise<void>;
} {
  const notifier = createWebhookNotifier({ attempts: 3 });
  const readArtifact = async (uri: string) => {
    const match = /^runs:\/([^/]+)\/(.+)$/.exec(uri);
    if (!match) throw new Error(`reference uri must be runs:/<run_id>/<path>, got ${uri}`);
    const chunks: Buffer[] = [];
    for await (const chunk of (await deps.tracking.artifacts.download(match[1]!, match[2]!)).stream)
      chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  };
  const monitoring = createMonitoring({
    database: deps.database,
    payloads: createPayloadLogStore(deps.database),
    notifier,
    readArtifact,
    ...(deps.metrics ? { registry: deps.metrics } : {}),
  });
  const schedules = new Map<string, { stop(): Promise<void> }>();
  let discovery: NodeJS.Timeout | undefined;
  const discover = async (onError: (error: unknown, monitor: string) => void) => {
    for (const record of await monitoring.listMonitors()) {
      if (schedules.has(record.name)) continue;
      schedules.set(
        record.name,
        monitoring.schedule(record.spec, (error) => onError(error, record.name)),
      );
    }
  };
  return {
    monitoring,
    runSchedules(onError, discoverMs = 10_000) {
      const tick = () => void discover(onError).catch((error: unknown) => onError(error, '*'));
      tick();
      discovery ??= setInterval(tick, discoverMs).unref();
    },
    async close() {
      clearInterval(discovery);
      await Promise.all([...schedules.values()].map((s) => s.stop()));
      await notifier.drain();
    },
  };
}
