import { type Rng, sampleBeta } from '../../random/index.js';

/** Evidence about one arm, in arm order. */
export interface ArmEvidence {
  successes: number;
  trials: number;
}

/** Picks an arm from the evidence; `observe` is told whenever the evidence changes. */
export interface BanditPolicy {
  choose(evidence: readonly ArmEvidence[]): number;
  observe(evidence: readonly ArmEvidence[]): void;
}

/**
 * Epsilon-greedy as Seldon Core's router does it (SC1 `components/routers/epsilon-greedy`): with
 * probability 1 − ε the best arm (highest mean reward successes / trials), otherwise one of the
 * *other* arms uniformly. The best arm starts as `bestBranch` (else a random arm) and changes only
 * when another arm's mean becomes strictly higher, ties broken at random.
 */
export function epsilonGreedy(options: {
  arms: number;
  epsilon: number;
  bestBranch?: number;
  rng: Rng;
}): BanditPolicy {
  const { arms, epsilon, rng } = options;
  let best = options.bestBranch ?? rng.int(arms);
  return {
    choose() {
      if (arms < 2 || rng.next() >= epsilon) return best;
      const other = rng.int(arms - 1);
      return other >= best ? other + 1 : other;
    },
    observe(evidence) {
      const means = evidence.map((e) => (e.trials > 0 ? e.successes / e.trials : 0));
      const top = Math.max(...means);
      if (means[best] === top) return;
      const leaders = means.flatMap((m, i) => (m === top ? [i] : []));
      best = leaders[rng.int(leaders.length)]!;
    },
  };
}

/**
 * Thompson sampling with Beta posteriors (Thompson 1933; Chapelle & Li, "An Empirical Evaluation of
 * Thompson Sampling", NIPS 2011, Algorithm 2): each arm's reward rate has a Beta(1, 1) prior, so
 * its posterior is Beta(1 + successes, 1 + trials − successes); route to the arm whose draw is highest.
 */
export function thompsonSampling(options: { rng: Rng }): BanditPolicy {
  const { rng } = options;
  return {
    choose(evidence) {
      let best = 0;
      let bestDraw = -1;
      evidence.forEach((e, i) => {
        const draw = sampleBeta(1 + e.successes, 1 + Math.max(0, e.trials - e.successes), rng);
        if (draw > bestDraw) {
          bestDraw = draw;
          best = i;
        }
      });
      return best;
    },
    observe() {},
  };
}
