import type { Rng } from '../../random/index.js';
import type { DeploymentSpec, NodeSpec } from '../deployment/index.js';
import { epsilonGreedy, thompsonSampling } from './bandit-policies.js';
import { type BanditRouter, createBanditRouter } from './bandit-router.js';
import type { ArmStats, BanditStateStore } from './bandit-store.js';

/** A built-in routing decision: a child index, and for bandits a way to learn from rewards. */
export interface Chooser {
  choose(): number;
  /** Present on bandits: credit a reward to the child that served. */
  credit?(child: number, reward: number, trials: number): Promise<void>;
  refresh?(): Promise<void>;
  /** Evidence per child that is an arm (bandits). */
  stats?(): ArmStats[];
}

/** What built-in routers need: randomness, and for bandits the shared state. */
export interface ChooserDeps {
  deployment: string;
  rng: Rng;
  store: BanditStateStore;
  refreshMs: number;
  now: () => number;
  onError: (error: unknown) => void;
}

/** Picks child i with probability weights[i] / Σ weights (KServe Splitter, canary, A/B). */
export function weightedChooser(weights: readonly number[], rng: Rng): Chooser {
  const total = weights.reduce((a, b) => a + b, 0);
  const last = weights.reduce((at, w, i) => (w > 0 ? i : at), 0);
  return {
    choose() {
      let r = rng.next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0 && weights[i]! > 0) return i;
      }
      return last; // r landed on the total through rounding
    },
  };
}

type BanditKind = { type: 'epsilon-greedy'; epsilon?: number; bestBranch?: number } | { type: 'thompson' };

// A bandit over some of the children (`children[k]` is arm k's child index).
function banditChooser(
  kind: BanditKind,
  node: string,
  names: string[],
  children: number[],
  deps: ChooserDeps,
): Chooser {
  const policy =
    kind.type === 'thompson'
      ? thompsonSampling({ rng: deps.rng })
      : epsilonGreedy({
          arms: names.length,
          epsilon: kind.epsilon ?? 0.1,
          ...(kind.bestBranch !== undefined ? { bestBranch: kind.bestBranch } : {}),
          rng: deps.rng,
        });
  const router: BanditRouter = createBanditRouter({ ...deps, node, arms: names, policy });
  return {
    choose: () => children[router.route()]!,
    async credit(child, reward, trials) {
      const arm = children.indexOf(child);
      if (arm >= 0) await router.reward(arm, reward, trials);
    },
    refresh: () => router.refresh(),
    stats: () => router.stats(),
  };
}

/** The chooser of a router node with a built-in Seldon router or a Splitter; undefined for others. */
export function nodeChooser(node: NodeSpec, deps: ChooserDeps): Chooser | undefined {
  const router = node.router;
  const children = node.children ?? [];
  switch (router?.type) {
    case 'random-ab': {
      // Seldon RANDOM_ABTEST: child 0 when a uniform draw is below ratioA (default 0.5), else child 1.
      const ratioA = router.ratioA ?? 0.5;
      return { choose: () => (deps.rng.next() < ratioA ? 0 : 1) };
    }
    case 'Splitter':
      return weightedChooser(
        children.map((c) => c.weight ?? 0),
        deps.rng,
      );
    case 'epsilon-greedy':
    case 'thompson':
      return banditChooser(
        router,
        node.name,
        children.map((c) => c.name),
        children.map((_, i) => i),
        deps,
      );
    default:
      return undefined;
  }
}

/** The chooser of the traffic policy; it returns an index into `spec.variants`. */
export function trafficChooser(spec: DeploymentSpec, node: string, deps: ChooserDeps): Chooser {
  const variants = (spec.variants ?? []).map((v) => v.name);
  const index = (name: string) => variants.indexOf(name);
  const traffic = spec.traffic ?? { policy: 'single' as const, variant: variants[0]! };
  switch (traffic.policy) {
    case 'single':
      return { choose: () => index(traffic.variant) };
    case 'canary':
      return weightedChooser(
        variants.map((v) =>
          v === traffic.main ? 100 - traffic.percent : v === traffic.canary ? traffic.percent : 0,
        ),
        deps.rng,
      );
    case 'ab':
      return weightedChooser(
        variants.map((v) => traffic.weights[v] ?? 0),
        deps.rng,
      );
    case 'epsilon-greedy':
    case 'thompson': {
      const kind: BanditKind =
        traffic.policy === 'thompson'
          ? { type: 'thompson' }
          : {
              type: 'epsilon-greedy',
              ...(traffic.epsilon !== undefined ? { epsilon: traffic.epsilon } : {}),
            };
      return banditChooser(kind, node, traffic.arms, traffic.arms.map(index), deps);
    }
  }
}
