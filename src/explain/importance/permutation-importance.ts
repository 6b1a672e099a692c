import { invalidArgument } from '../../errors/index.js';
import { createRng } from '../../random/index.js';
import { featureNamesOrDefault } from '../common/explanation.js';
import { callModel, type PredictFn } from '../common/model.js';
import { mean, std } from '../common/stats.js';
import { assertInt, assertMatrix } from '../common/validate.js';

/** Scores predictions (`[row][output]`) against the truth; e.g. accuracy, R^2, -log-loss. */
export type Scorer<Y> = (yTrue: readonly Y[], predictions: number[][]) => number;

export interface PermutationImportanceOptions<Y> {
  predict: PredictFn;
  X: number[][];
  y: readonly Y[];
  score: Scorer<Y>;
  /** True (default) when a larger score is better; importance is then baseline - permuted score. */
  higherIsBetter?: boolean;
  /** Shuffles per feature (default 5, sklearn's default). */
  nRepeats?: number;
  seed?: number;
  /** Columns to assess (default all). */
  features?: number[];
  featureNames?: string[];
}

export interface PermutationImportanceResult {
  featureNames: string[];
  features: number[];
  baselineScore: number;
  /** `importances[f][r]`: score drop for feature f in repeat r (positive = the model relies on it). */
  importances: number[][];
  importancesMean: number[];
  /** Population standard deviation over repeats (numpy's default, as sklearn reports). */
  importancesStd: number[];
  details: Record<string, number | string | boolean>;
}

/**
 * Model-agnostic permutation feature importance (Breiman 2001; Fisher, Rudin & Dominici 2019 "model
 * reliance"; sklearn.inspection.permutation_importance semantics): shuffle one column at a time and
 * measure how much the score degrades. All repeats of one feature go to the model in one call.
 */
export async function permutationImportance<Y>(
  opts: PermutationImportanceOptions<Y>,
): Promise<PermutationImportanceResult> {
  const m = assertMatrix('X', opts.X);
  const n = opts.X.length;
  if (opts.y.length !== n) throw invalidArgument(`y has ${opts.y.length} entries, X has ${n} rows`);
  const nRepeats = opts.nRepeats ?? 5;
  assertInt('nRepeats', nRepeats, 1, 10_000);
  const features = opts.features ?? Array.from({ length: m }, (_, j) => j);
  for (const f of features) assertInt('feature index', f, 0, m - 1);
  const sign = (opts.higherIsBetter ?? true) ? 1 : -1;
  const seed = opts.seed ?? 0;
  const rng = createRng(seed);

  const baselineScore = opts.score(opts.y, await callModel(opts.predict, opts.X));
  const importances: number[][] = [];
  for (const f of features) {
    const rows: number[][] = [];
    for (let r = 0; r < nRepeats; r++) {
      const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      opts.X.forEach((x, i) => {
        const row = [...x];
        row[f] = opts.X[perm[i]!]![f]!;
        rows.push(row);
      });
    }
    const out = await callModel(opts.predict, rows);
    importances.push(
      Array.from({ length: nRepeats }, (_, r) => {
        const permuted = opts.score(opts.y, out.slice(r * n, (r + 1) * n));
        return sign === 1 ? baselineScore - permuted : permuted - baselineScore;
      }),
    );
  }
  const names = featureNamesOrDefault(m, opts.featureNames);
  return {
    featureNames: features.map((f) => names[f]!),
    features,
    baselineScore,
    importances,
    importancesMean: importances.map((v) => mean(v)),
    importancesStd: importances.map((v) => std(v)),
    details: { nRepeats, seed, higherIsBetter: sign === 1 },
  };
}
