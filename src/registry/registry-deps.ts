import type { Database } from '../store/db/index.js';
import type { Tracking } from '../tracking/index.js';

/** What the registry needs: the database, a clock, and tracking (to check runs and read lineage). */
export interface RegistryDeps {
  database: Database;
  clock: () => number;
  tracking: Tracking;
}
