// Migrations run at start-up from every process; several processes starting at once must agree.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/store/db/index.js';
import { dialects } from '../support/databases.js';

const OPEN = `import { openDatabase } from ${JSON.stringify(new URL('../../src/store/db/index.ts', import.meta.url).pathname)};
const db = await openDatabase(process.argv[1]);
await db.close();`;

function openInChild(url: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OPEN, url], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

for (const dialect of await dialects()) {
  describe(`migrations on ${dialect.name}`, { skip: dialect.skip }, () => {
    it('applies once when four processes start on a new database at the same time', async () => {
      const database = await dialect.create();
      try {
        const codes = await Promise.all([1, 2, 3, 4].map(() => openInChild(database.url)));
        assert.deepEqual(codes, [0, 0, 0, 0]);
        const db = await openDatabase(database.url);
        const applied = await db.db
          .selectFrom('kysely_migration' as never)
          .select('name' as never)
          .execute();
        assert.deepEqual(
          applied.map((row) => (row as { name: string }).name),
          [
            '0001-tracking',
            '0002-metric-rollups',
            '0003-registry',
            '0004-bandit-state',
            '0005-payload-logs',
            '0006-metric-rollups-512',
            '0007-monitors',
          ],
        );
        const experiments = await db.db.selectFrom('experiments').select('name').execute();
        assert.deepEqual(experiments, [{ name: 'Default' }]);
        await db.close();
      } finally {
        await database.drop();
      }
    });
  });
}
