import type { Database } from '../../store/db/index.js';
import { type ArmStats, type BanditStateStore, checkArmUpdate } from './bandit-store.js';

/**
 * Bandit state in the Osprey database (table `bandit_state`, migration 0004). An update is one
 * `INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x`, atomic on SQLite and PostgreSQL alike,
 * so concurrent replicas never lose a reward.
 */
export function createSqlBanditStore(database: Pick<Database, 'db'>): BanditStateStore {
  const { db } = database;
  return {
    async load(deployment, node): Promise<ArmStats[]> {
      const rows = await db
        .selectFrom('bandit_state')
        .select(['arm', 'successes', 'trials'])
        .where('deployment', '=', deployment)
        .where('node', '=', node)
        .orderBy('arm')
        .execute();
      return rows.map((r) => ({ arm: r.arm, successes: Number(r.successes), trials: Number(r.trials) }));
    },
    async update(deployment, node, arm, reward, trials = 1) {
      checkArmUpdate(reward, trials);
      await db
        .insertInto('bandit_state')
        .values({ deployment, node, arm, successes: reward, trials })
        .onConflict((oc) =>
          oc.columns(['deployment', 'node', 'arm']).doUpdateSet((eb) => ({
            successes: eb('bandit_state.successes', '+', eb.ref('excluded.successes')),
            trials: eb('bandit_state.trials', '+', eb.ref('excluded.trials')),
          })),
        )
        .execute();
    },
  };
}
