import { createMonitoring, createWebhookNotifier, type Monitoring } from '../monitoring/index.js';
import { createPayloadLogStore } from '../serving/logging/index.js';
import type { Database } from '../store/db/index.js';
import type { Tracking } from '../tracking/index.js';

/**
 * Monitors over the payload log in the metadata database; a `runs:/<run>/<path>` reference is read
 * from the run's artifacts, and alerts go to the specs' webhooks.
 */
export function createMonitoringService(deps: { database: Database; tracking: Tracking }): {
  monitoring: Monitoring;
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
  });
  return { monitoring, close: () => notifier.drain() };
}
