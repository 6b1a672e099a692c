import type { BlobStore } from '../store/blob/index.js';
import type { Database } from '../store/db/index.js';

/** What the tracking services need from the outside, passed in by the composition root. */
export interface TrackingDeps {
  database: Database;
  blobs: BlobStore;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** Unique id generator (32 hex characters for runs, as MLflow's uuid4().hex). */
  newId: () => string;
}
