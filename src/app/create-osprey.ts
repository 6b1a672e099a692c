import { randomUUID } from 'node:crypto';
import type { OspreyConfig } from '../config/index.js';
import { createRegistry, type Registry } from '../registry/index.js';
import { type BlobStore, createBlobStore } from '../store/blob/index.js';
import { type Database, openDatabase } from '../store/db/index.js';
import { createTracking, type Tracking } from '../tracking/index.js';

/** Everything a process needs, wired once from a config: the CLI, the server and the tests all start here. */
export interface Osprey {
  readonly config: OspreyConfig;
  readonly database: Database;
  readonly blobs: BlobStore;
  readonly tracking: Tracking;
  readonly registry: Registry;
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
  return {
    config,
    database,
    blobs,
    tracking,
    registry: createRegistry({ database, clock: deps.clock, tracking }),
    close: () => database.close(),
  };
}
