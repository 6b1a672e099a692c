import { invalidArgument } from '../../errors/index.js';

/** What a bandit has learnt about one arm: the sum of rewards and the number of trials. */
export interface ArmStats {
  arm: string;
  /** Sum of rewards in [0, 1] (a Bernoulli success counts 1). */
  successes: number;
  trials: number;
}

/**
 * Where bandit routers keep their state, so every replica and every restart routes on the same
 * evidence (Seldon Core v1 kept it in the router's memory, seldon-core#2827).
 */
export interface BanditStateStore {
  /** Every arm of one router with recorded feedback (arms never rewarded are absent). */
  load(deployment: string, node: string): Promise<ArmStats[]>;
  /** Adds `reward` to the arm's successes and `trials` (default 1) to its trials, atomically. */
  update(deployment: string, node: string, arm: string, reward: number, trials?: number): Promise<void>;
}

/** Checks an update's numbers: 0 <= reward <= trials, trials > 0. */
export function checkArmUpdate(reward: number, trials: number): void {
  if (!Number.isFinite(trials) || trials <= 0) throw invalidArgument(`trials must be > 0, got ${trials}`);
  if (!Number.isFinite(reward) || reward < 0 || reward > trials) {
    throw invalidArgument(`reward must be in [0, ${trials}] (a reward in [0, 1] per trial), got ${reward}`);
  }
}

/** A store in process memory: for tests and a single replica that may forget on restart. */
export function createMemoryBanditStore(): BanditStateStore {
  const state = new Map<string, Map<string, ArmStats>>();
  const key = (deployment: string, node: string) => JSON.stringify([deployment, node]);
  return {
    async load(deployment, node) {
      return [...(state.get(key(deployment, node))?.values() ?? [])].map((s) => ({ ...s }));
    },
    async update(deployment, node, arm, reward, trials = 1) {
      checkArmUpdate(reward, trials);
      const arms = state.get(key(deployment, node)) ?? new Map<string, ArmStats>();
      state.set(key(deployment, node), arms);
      const s = arms.get(arm) ?? { arm, successes: 0, trials: 0 };
      arms.set(arm, { arm, successes: s.successes + reward, trials: s.trials + trials });
    },
  };
}
