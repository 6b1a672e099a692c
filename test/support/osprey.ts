import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOsprey, type Osprey } from '../../src/app/index.js';
import { resolveConfig } from '../../src/config/index.js';
import type { TestDatabase } from './databases.js';

/** A complete Osprey on a test database and a temporary blob directory, with a controllable clock. */
export async function testOsprey(
  database: TestDatabase,
): Promise<Osprey & { dispose(): Promise<void>; now: { ms: number } }> {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-blobs-'));
  const now = { ms: 1_700_000_000_000 };
  const config = resolveConfig({
    home: dir,
    dbUrl: database.url,
    blobUri: join(dir, 'blobs'),
    logLevel: 'silent',
  });
  const osprey = await createOsprey(config, { clock: () => now.ms++ });
  return {
    ...osprey,
    now,
    dispose: async () => {
      await osprey.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
