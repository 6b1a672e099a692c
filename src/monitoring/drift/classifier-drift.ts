/**
 * Learned-classifier drift (Lipton et al. 2018; Rabanser et al., "Failing loudly", NeurIPS 2019;
 * Alibi Detect's ClassifierDrift): if a classifier can tell reference rows from current rows
 * better than chance, the distributions differ.
 *
 * Statistic: label reference 0 and current 1; stratified k-fold cross-validation (default 5) of
 * an L2 logistic regression on features standardised with the training folds' mean and std; every
 * row gets an out-of-fold probability, and `distance` is the ROC AUC of those probabilities.
 *
 * p-value (one-sided, AUC > 0.5):
 * - `permutation` (default): the whole cross-validation is rerun on `nPermutations` random
 *   relabellings of the pooled rows (seeded); p = (1 + #{AUC_perm >= AUC_obs})/(1 + B). Valid in
 *   finite samples.
 * - `mann-whitney`: the normal approximation of the Mann–Whitney U of the pooled out-of-fold
 *   scores (tie-corrected). Fast but approximate: out-of-fold scores of different folds come from
 *   models trained on overlapping data and are positively correlated, so the U variance is
 *   underestimated. Measured false-positive rate at nominal 0.05 (400 null data sets each):
 *   0.09 for 60+60 rows × 2 features, 0.05 for 100+100 × 5, 0.065 for 200+200 × 1.
 * Drift iff p < pValue.
 */
import { invalidArgument } from '../../errors/index.js';
import { createRng, type Rng, type RngState } from '../../random/index.js';
import { checkMatrix, copyRows } from '../matrix-input.js';
import { aucTest } from '../stats/index.js';
import type { Detector, DetectorState, DriftResult } from '../types.js';
import { fitLogisticRegression, predictLogistic } from './logistic-regression.js';

export interface ClassifierDriftOptions {
  pValue?: number;
  /** Cross-validation folds (default 5). */
  nFolds?: number;
  /** L2 penalty of the logistic regression on standardised features (default 1). */
  l2?: number;
  pValueMethod?: 'permutation' | 'mann-whitney';
  /** Relabellings for the permutation p-value (default 100). */
  nPermutations?: number;
  seed?: number;
}

export interface ClassifierDriftState extends DetectorState {
  kind: 'classifier-drift';
  version: 1;
  options: Required<ClassifierDriftOptions>;
  reference: number[][] | null;
  rng: RngState;
}

/** Standardises columns with mean/std of `fitRows` (std 0 → 1). */
function standardiser(
  fitRows: readonly (readonly number[])[],
): (rows: readonly (readonly number[])[]) => number[][] {
  const d = (fitRows[0] as readonly number[]).length;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  const n = fitRows.length;
  for (const r of fitRows) for (let k = 0; k < d; k++) mean[k] = (mean[k] as number) + (r[k] as number) / n;
  for (const r of fitRows)
    for (let k = 0; k < d; k++) sd[k] = (sd[k] as number) + ((r[k] as number) - (mean[k] as number)) ** 2 / n;
  const scale = sd.map((v) => (v > 0 ? Math.sqrt(v) : 1));
  return (rows) => rows.map((r) => r.map((v, k) => (v - (mean[k] as number)) / (scale[k] as number)));
}

/** Stratified fold index per row: each class shuffled and dealt round-robin. */
function stratifiedFolds(labels: readonly number[], k: number, rng: Rng): number[] {
  const fold = new Array<number>(labels.length).fill(0);
  for (const cls of [0, 1]) {
    const idx = rng.shuffle(labels.flatMap((l, i) => (l === cls ? [i] : [])));
    for (let j = 0; j < idx.length; j++) fold[idx[j] as number] = j % k;
  }
  return fold;
}

/** Out-of-fold probabilities of label 1 from k logistic regressions. */
function outOfFoldScores(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  k: number,
  l2: number,
  rng: Rng,
): number[] {
  const fold = stratifiedFolds(labels, k, rng);
  const scores = new Array<number>(rows.length).fill(0);
  for (let f = 0; f < k; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    const trainLabels = labels.filter((_, i) => fold[i] !== f);
    const testIdx = rows.flatMap((_, i) => (fold[i] === f ? [i] : []));
    const scale = standardiser(train);
    // Scores only need their ranking, so a loose Newton tolerance is enough.
    const model = fitLogisticRegression(scale(train), trainLabels, { l2, tolerance: 1e-6 });
    const probs = predictLogistic(model, scale(testIdx.map((i) => rows[i] as number[])));
    for (let j = 0; j < testIdx.length; j++) scores[testIdx[j] as number] = probs[j] as number;
  }
  return scores;
}

/** Domain-classifier drift detector: cross-validated AUC, permutation or Mann–Whitney p-value. */
export class ClassifierDriftDetector
  implements Detector<readonly (readonly number[])[], DriftResult, ClassifierDriftState>
{
  readonly kind = 'classifier-drift' as const;
  private readonly options: Required<ClassifierDriftOptions>;
  private reference: number[][] | null = null;
  private rng: Rng;

  constructor(options: ClassifierDriftOptions = {}) {
    this.options = {
      pValue: options.pValue ?? 0.05,
      nFolds: options.nFolds ?? 5,
      l2: options.l2 ?? 1,
      pValueMethod: options.pValueMethod ?? 'permutation',
      nPermutations: options.nPermutations ?? 100,
      seed: options.seed ?? 0,
    };
    const o = this.options;
    if (!(o.pValue > 0 && o.pValue < 1)) throw invalidArgument('pValue must be in (0, 1)');
    if (!Number.isInteger(o.nFolds) || o.nFolds < 2) throw invalidArgument('nFolds must be an integer >= 2');
    if (!(o.l2 > 0)) throw invalidArgument('l2 must be positive');
    if (!['permutation', 'mann-whitney'].includes(o.pValueMethod))
      throw invalidArgument(`unknown pValueMethod "${o.pValueMethod}"`);
    if (!Number.isInteger(o.nPermutations) || o.nPermutations < 1)
      throw invalidArgument('nPermutations must be a positive integer');
    this.rng = createRng(o.seed);
  }

  /** Stores the reference rows. */
  fit(reference: readonly (readonly number[])[]): this {
    checkMatrix(reference, 'reference');
    if (reference.length < this.options.nFolds)
      throw invalidArgument(`need at least nFolds=${this.options.nFolds} reference rows`);
    this.reference = copyRows(reference);
    return this;
  }

  /** Trains reference-vs-current classifiers out of fold and tests their AUC against 0.5. */
  predict(current: readonly (readonly number[])[]): DriftResult {
    const reference = this.reference;
    if (!reference) throw invalidArgument('detector is not fitted: call fit(reference) first');
    checkMatrix(current, 'current', (reference[0] as number[]).length);
    const { nFolds: k, l2 } = this.options;
    if (current.length < k) throw invalidArgument(`need at least nFolds=${k} current rows`);
    const rows = [...reference, ...current] as readonly (readonly number[])[];
    const labels = rows.map((_, i) => (i < reference.length ? 0 : 1));
    const observed = aucTest(outOfFoldScores(rows, labels, k, l2, this.rng), labels);
    let pValue = observed.pValue;
    if (this.options.pValueMethod === 'permutation') {
      const B = this.options.nPermutations;
      let atLeast = 0;
      for (let b = 0; b < B; b++) {
        const permuted = this.rng.shuffle([...labels]);
        if (aucTest(outOfFoldScores(rows, permuted, k, l2, this.rng), permuted).auc >= observed.auc)
          atLeast++;
      }
      pValue = (1 + atLeast) / (1 + B);
    }
    return {
      isDrift: pValue < this.options.pValue,
      distance: observed.auc,
      pValue,
      threshold: this.options.pValue,
      method: `classifier-auc-${this.options.pValueMethod}`,
    };
  }

  /** Plain JSON state. */
  toJSON(): ClassifierDriftState {
    return {
      kind: 'classifier-drift',
      version: 1,
      options: structuredClone(this.options),
      reference: this.reference && copyRows(this.reference),
      rng: this.rng.state(),
    };
  }

  /** Restores a detector saved with `toJSON`. */
  static fromJSON(state: ClassifierDriftState): ClassifierDriftDetector {
    if (state?.kind !== 'classifier-drift' || state.version !== 1)
      throw invalidArgument('not a classifier-drift state (version 1)');
    const d = new ClassifierDriftDetector(state.options);
    d.reference = state.reference && copyRows(state.reference);
    d.rng = createRng(state.rng);
    return d;
  }
}
