import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { createEmbeddedClient } from '../client/embedded-client.js';
import { invalidArgument } from '../errors/index.js';
import { createNodeFactory, createSqlBanditStore } from '../serving/graph/index.js';
import { createDeploymentHost, type DeploymentHost } from '../serving/host/index.js';
import {
  createDefaultPayloadSinks,
  createPayloadLogger,
  createPayloadLogStore,
  type PayloadLogger,
  type PayloadSink,
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
 * store into `<home>/.osprey/models`, bandit state in its database, payload logs to the configured sink
 * (`OSPREY_PAYLOAD_SINK`: its store by default, or NATS JetStream, or an HTTP endpoint).
 */
export function createServingHost(
  osprey: Pick<Osprey, 'config' | 'database' | 'tracking' | 'registry'>,
  options: ServingHostOptions = {},
): { host: DeploymentHost; close(): Promise<void> } {
  const client = createEmbeddedClient(osprey as Osprey);
  const sinks = createDefaultPayloadSinks({ store: createPayloadLogStore(osprey.database) });
  const scheme = osprey.config.payloadSink.split(':')[0]!;
  if (!sinks.schemes().includes(scheme))
    throw invalidArgument(
      `OSPREY_PAYLOAD_SINK '${osprey.config.payloadSink}': use one of ${sinks
        .schemes()
        .map((s) => `${s}:`)
        .join(', ')}`,
    );
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
      logger = createPayloadLogger({
        sink: openOnFirstWrite(osprey.config.payloadSink, (uri) => sinks.open(uri)),
      });
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

/**
 * A sink opened on its first write, so an unreachable NATS server never delays serving: the write
 * fails, and the logger retries and counts its drops as for any failing sink.
 */
function openOnFirstWrite(uri: string, open: (uri: string) => Promise<PayloadSink>): PayloadSink {
  let opened: Promise<PayloadSink> | undefined;
  const sink = () => {
    opened ??= open(uri).catch((error: unknown) => {
      opened = undefined; // try again on the next write
      throw error;
    });
    return opened;
  };
  return {
    uri: uri.replace(/\/\/[^@/]*@/, '//'),
    write: async (events, options) => (await sink()).write(events, options),
    close: async () => {
      const current = await opened?.catch(() => undefined);
      await current?.close();
    },
  };
}
