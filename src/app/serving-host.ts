import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { createEmbeddedClient } from '../client/embedded-client.js';
import { createNodeFactory, createSqlBanditStore } from '../serving/graph/index.js';
import { createDeploymentHost, type DeploymentHost } from '../serving/host/index.js';
import {
  createPayloadLogger,
  createPayloadLogStore,
  createStoreSink,
  type PayloadLogger,
} from '../serving/logging/index.js';
import { trackPayloadLogger } from '../serving/metrics/index.js';
import type { Osprey } from './create-osprey.js';

export interface ServingHostOptions {
  /** Serving metrics and payload-log gauges go here when given. */
  metrics?: Registry;
  /** How often registry aliases are re-resolved (default 5000 ms). */
  watchIntervalMs?: number;
  onError?: (error: unknown, context: string) => void;
}

/**
 * Wires a deployment host onto an Osprey instance: models fetched from its registry and tracking
 * store into `<home>/.osprey/models`, bandit state in its database, payload logs into its store.
 */
export function createServingHost(
  osprey: Pick<Osprey, 'config' | 'database' | 'tracking' | 'registry'>,
  options: ServingHostOptions = {},
): { host: DeploymentHost; close(): Promise<void> } {
  const client = createEmbeddedClient(osprey as Osprey);
  let logger: PayloadLogger | undefined;
  const host = createDeploymentHost({
    factory: createNodeFactory({
      fetch: {
        cacheDir: join(osprey.config.home, '.osprey', 'models'),
        tracking: client,
        resolveModel: (uri) => client.resolveModel(uri),
      },
    }),
    resolveVersion: (uri) => osprey.registry.resolve(uri),
    graph: { banditStore: createSqlBanditStore(osprey.database) },
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.watchIntervalMs !== undefined ? { watchIntervalMs: options.watchIntervalMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    payloadLogger: () => {
      if (logger) return logger;
      logger = createPayloadLogger({ sink: createStoreSink(createPayloadLogStore(osprey.database)) });
      if (options.metrics) trackPayloadLogger(options.metrics, logger);
      return logger;
    },
  });
  return {
    host,
    async close() {
      await host.close();
      await logger?.close();
    },
  };
}
