import type { BanditPolicy } from './bandit-policies.js';
import type { ArmStats, BanditStateStore } from './bandit-store.js';

/** A router whose choice learns from feedback; its evidence lives in a {@link BanditStateStore}. */
export interface BanditRouter {
  /** The arm (child index) for the next request, from the evidence at hand. */
  route(): number;
  /** Credits `reward` over `trials` to the arm, in the store and here. */
  reward(arm: number, reward: number, trials: number): Promise<void>;
  /** Reloads the evidence every replica has recorded. */
  refresh(): Promise<void>;
  /** The evidence per arm, in arm order. */
  stats(): ArmStats[];
}

export interface BanditRouterOptions {
  deployment: string;
  node: string;
  /** Arm names in child order (child node names, or variant names for the traffic policy). */
  arms: readonly string[];
  policy: BanditPolicy;
  store: BanditStateStore;
  /** How old the evidence may get before route() reloads it in the background (ms). */
  refreshMs: number;
  now: () => number;
  /** Told when a background reload fails (routing goes on with the evidence it has). */
  onError: (error: unknown) => void;
}

/** Builds a bandit router; call refresh() once before routing so a restart starts from the store. */
export function createBanditRouter(options: BanditRouterOptions): BanditRouter {
  const { deployment, node, arms, policy, store } = options;
  let evidence = arms.map((arm) => ({ arm, successes: 0, trials: 0 }));
  let loadedAt = Number.NEGATIVE_INFINITY;
  let reloading: Promise<void> | undefined;

  async function refresh() {
    const rows = await store.load(deployment, node);
    const byArm = new Map(rows.map((r) => [r.arm, r]));
    evidence = arms.map((arm) => ({
      arm,
      successes: byArm.get(arm)?.successes ?? 0,
      trials: byArm.get(arm)?.trials ?? 0,
    }));
    loadedAt = options.now();
    policy.observe(evidence);
  }

  return {
    route() {
      if (!reloading && options.now() - loadedAt >= options.refreshMs) {
        reloading = refresh()
          .catch(options.onError)
          .finally(() => {
            reloading = undefined;
          });
      }
      return policy.choose(evidence);
    },
    async reward(arm, reward, trials) {
      const name = arms[arm]!;
      await store.update(deployment, node, name, reward, trials);
      evidence = evidence.map((e, i) =>
        i === arm ? { arm: name, successes: e.successes + reward, trials: e.trials + trials } : e,
      );
      policy.observe(evidence);
    },
    refresh,
    stats: () => evidence.map((e) => ({ ...e })),
  };
}
