import { randomUUID } from 'node:crypto';
import { Registry as MetricsRegistry } from 'prom-client';
import type { OspreyConfig } from '../config/index.js';
import type { Monitoring } from '../monitoring/index.js';
import { createRegistry, type Registry } from '../registry/index.js';
import type { DeploymentHost } from '../serving/host/index.js';
import { type BlobStore, createBlobStore } from '../store/blob/index.js';
import { type Database, openDatabase } from '../store/db/index.js';
import { createTracking, type Tracking } from '../tracking/index.js';
import { createMonitoringService } from './monitoring-service.js';
import { createServingHost } from './serving-host.js';

/** Everything a process needs, wired once from a config: the CLI, the server and the tests all start here. */
export interface Osprey {
  readonly config: OspreyConfig;
  readonly database: Database;
  readonly blobs: BlobStore;
  readonly tracking: Tracking;
  readonly registry: Registry;
  /** The deployments `osprey server` hosts (built on first use). */
  readonly deployments: DeploymentHost;
  /** Monitors over the deployments' payload logs: results, alerts, delayed labels (built on first use). */
  readonly monitoring: Monitoring;
  /** Evaluates every monitor on its schedule until close() (what `osprey server` runs). */
  runMonitorSchedules(onError: (error: unknown, monitor: string) => void): void;
  /** The Prometheus registry the server's `/metrics` shows: its own, serving and monitor metrics. */
  readonly metrics: MetricsRegistry;
  close(): Promise<void>;
}

export interface OspreyOverrides {
  clock?: () => number;
  newId?: () => string;
}

/** The composition root: config → database (migrated) → blob store → services. */
export async function createOsprey(config: OspreyConfig, overrides: OspreyOverrides = {}): Promise<Osprey> {
  const database = await openDatabase(config.dbUrl);
  const blobs = createBlobStore(config.blobUri, { s3: config.s3 });
  const deps = {
    database,
    blobs,
    clock: overrides.clock ?? Date.now,
    newId: overrides.newId ?? (() => randomUUID().replaceAll('-', '')),
  };
  const tracking = createTracking(deps);
  const registry = createRegistry({ database, clock: deps.clock, tracking });
  let serving: ReturnType<typeof createServingHost> | undefined;
  let monitors: ReturnType<typeof createMonitoringService> | undefined;
  const metrics = new MetricsRegistry();
  const monitoringService = () => {
    monitors ??= createMonitoringService({ database, tracking, metrics });
    return monitors;
  };
  return {
    config,
    database,
    blobs,
    tracking,
    registry,
    get deployments() {
      serving ??= createServingHost({ config, database, tracking, registry }, { metrics });
      return serving.host;
    },
    get monitoring() {
      return monitoringService().monitoring;
    },
    runMonitorSchedules: (onError) => monitoringService().runSchedules(onError),
    metrics,
    close: async () => {
      await serving?.close();
      await monitors?.close();
      await database.close();
    },
  };
}
