/**
 * Isolation Forest (Liu, Ting & Zhou, ICDM 2008): anomalies are isolated by fewer random splits.
 * `nEstimators` trees (default 100), each grown on a subsample of ψ = min(256, n) rows drawn
 * without replacement, height limit ⌈log₂ ψ⌉. Score s(x) = 2^(−E[h(x)]/c(ψ)) in (0, 1]: close to
 * 1 for anomalies, about 0.5 or below for normal points. The threshold is the (1 − contamination)
 * quantile of the reference scores (sklearn's `contamination` offset); outlier iff score > threshold.
 */
import { invalidArgument } from '../../errors/index.js';
import { createRng, type Rng, type RngState } from '../../random/index.js';
import { checkMatrix } from '../matrix-input.js';
import type { Detector, DetectorState, OutlierResult } from '../types.js';
import { growTree, type IsolationTree, pathLength } from './isolation-tree.js';
import { averagePathLength } from './path-length.js';
import { quantileThreshold } from './threshold.js';

export interface IsolationForestOptions {
  nEstimators?: number;
  /** Subsample size ψ per tree (default 256; capped at the reference size). */
  maxSamples?: number;
  /** Expected share of outliers in the reference; sets the threshold (default 0.05). */
  contamination?: number;
  seed?: number;
}

export interface IsolationForestState extends DetectorState {
  kind: 'isolation-forest';
  version: 1;
  options: Required<IsolationForestOptions>;
  fitted: { psi: number; width: number; threshold: number; trees: IsolationTree[] } | null;
  rng: RngState;
}

/** Isolation Forest outlier detector with a contamination-quantile threshold. */
export class IsolationForestDetector
  implements Detector<readonly (readonly number[])[], OutlierResult[], IsolationForestState>
{
  readonly kind = 'isolation-forest' as const;
  private readonly options: Required<IsolationForestOptions>;
  private fitted: IsolationForestState['fitted'] = null;
  private rng: Rng;

  constructor(options: IsolationForestOptions = {}) {
    this.options = {
      nEstimators: options.nEstimators ?? 100,
      maxSamples: options.maxSamples ?? 256,
      contamination: options.contamination ?? 0.05,
      seed: options.seed ?? 0,
    };
    const o = this.options;
    if (!Number.isInteger(o.nEstimators) || o.nEstimators < 1)
      throw invalidArgument('nEstimators must be a positive integer');
    if (!Number.isInteger(o.maxSamples) || o.maxSamples < 2)
      throw invalidArgument('maxSamples must be an integer >= 2');
    if (!(o.contamination > 0 && o.contamination < 0.5))
      throw invalidArgument('contamination must be in (0, 0.5)');
    this.rng = createRng(o.seed);
  }

  /** Grows the forest on the reference and sets the threshold from its scores. */
  fit(reference: readonly (readonly number[])[]): this {
    const width = checkMatrix(reference, 'reference');
    if (reference.length < 2) throw invalidArgument('Isolation Forest needs at least two reference rows');
    const psi = Math.min(this.options.maxSamples, reference.length);
    const heightLimit = Math.ceil(Math.log2(psi));
    const trees: IsolationTree[] = [];
    for (let t = 0; t < this.options.nEstimators; t++) {
      trees.push(growTree(reference, this.rng.sampleIndices(reference.length, psi), heightLimit, this.rng));
    }
    this.fitted = { psi, width, threshold: Number.POSITIVE_INFINITY, trees };
    this.fitted.threshold = quantileThreshold(this.score(reference), this.options.contamination);
    return this;
  }

  /** Anomaly scores s(x) = 2^(−E[h(x)]/c(ψ)). */
  score(rows: readonly (readonly number[])[]): number[] {
    const f = this.requireFitted();
    checkMatrix(rows, 'rows', f.width);
    const c = averagePathLength(f.psi);
    return rows.map((x) => {
      let total = 0;
      for (const tree of f.trees) total += pathLength(tree, x);
      return 2 ** (-(total / f.trees.length) / c);
    });
  }

  /** Scores rows and flags those above the fitted threshold. */
  predict(rows: readonly (readonly number[])[]): OutlierResult[] {
    const threshold = this.requireFitted().threshold;
    return this.score(rows).map((score) => ({ isOutlier: score > threshold, score, threshold }));
  }

  private requireFitted(): NonNullable<IsolationForestState['fitted']> {
    if (!this.fitted) throw invalidArgument('detector is not fitted: call fit(reference) first');
    return this.fitted;
  }

  /** Plain JSON state (trees as flat arrays). */
  toJSON(): IsolationForestState {
    return {
      kind: 'isolation-forest',
      version: 1,
      options: { ...this.options },
      fitted: structuredClone(this.fitted),
      rng: this.rng.state(),
    };
  }

  /** Restores a forest saved with `toJSON`. */
  static fromJSON(state: IsolationForestState): IsolationForestDetector {
    if (state?.kind !== 'isolation-forest' || state.version !== 1)
      throw invalidArgument('not an isolation-forest state (version 1)');
    const d = new IsolationForestDetector(state.options);
    d.fitted = structuredClone(state.fitted);
    d.rng = createRng(state.rng);
    return d;
  }
}
