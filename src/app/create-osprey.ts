import { randomUUID } from 'node:crypto';
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
  return {
    config,
    database,
    blobs,
    tracking,
    registry,
    get deployments() {
      serving ??= createServingHost({ config, database, tracking, registry });
      return serving.host;
    },
    get monitoring() {
      monitors ??= createMonitoringService({ database, tracking });
      return monitors.monitoring;
    },
    close: async () => {
      await serving?.close();
      await monitors?.close();
      await database.close();
    },
  };
}
