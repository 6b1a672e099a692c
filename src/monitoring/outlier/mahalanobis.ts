/**
 * Mahalanobis-distance outlier detector with an online (Welford) mean and covariance.
 * Score: √((x − μ)ᵀ Σ⁺ (x − μ)), with Σ⁺ the Moore–Penrose pseudo-inverse so constant or
 * collinear features do not break it. Threshold: the (1 − fpr) quantile of the reference's own
 * scores (default fpr 0.05), or a fixed `threshold`. With `updateOnPredict`, every scored batch
 * is folded into the running statistics afterwards (Alibi Detect's online Mahalanobis behaviour);
 * the threshold stays as fitted.
 */
import { Matrix, pseudoInverse } from 'ml-matrix';
import { invalidArgument } from '../../errors/index.js';
import { checkMatrix } from '../matrix-input.js';
import type { Detector, DetectorState, OutlierResult } from '../types.js';
import { OnlineCovariance, type OnlineCovarianceState } from './online-covariance.js';
import { quantileThreshold } from './threshold.js';

export interface MahalanobisOptions {
  /** Share of reference rows allowed above the threshold (default 0.05). */
  fpr?: number;
  /** Fixed threshold on the distance; overrides `fpr`. */
  threshold?: number;
  /** Fold predicted batches into the running mean/covariance (default false). */
  updateOnPredict?: boolean;
}

export interface MahalanobisState extends DetectorState {
  kind: 'mahalanobis';
  version: 1;
  options: MahalanobisOptions;
  stats: OnlineCovarianceState | null;
  threshold: number | null;
}

/** Mahalanobis outlier detector on running (Welford) statistics. */
export class MahalanobisDetector
  implements Detector<readonly (readonly number[])[], OutlierResult[], MahalanobisState>
{
  readonly kind = 'mahalanobis' as const;
  private readonly options: MahalanobisOptions;
  private stats: OnlineCovariance | null = null;
  private precision: Matrix | null = null;
  private threshold: number | null = null;

  constructor(options: MahalanobisOptions = {}) {
    this.options = { fpr: options.fpr ?? 0.05, updateOnPredict: options.updateOnPredict ?? false };
    if (options.threshold !== undefined) {
      if (!(options.threshold >= 0)) throw invalidArgument('threshold must be non-negative');
      this.options.threshold = options.threshold;
    }
  }

  /** Learns mean and covariance from the reference and fits the threshold. */
  fit(reference: readonly (readonly number[])[]): this {
    const d = checkMatrix(reference, 'reference');
    if (reference.length < 2) throw invalidArgument('Mahalanobis needs at least two reference rows');
    this.stats = new OnlineCovariance(d);
    for (const row of reference) this.stats.update(row);
    this.precision = null;
    this.threshold =
      this.options.threshold ?? quantileThreshold(this.score(reference), this.options.fpr as number);
    return this;
  }

  /** Adds rows to the running statistics (threshold unchanged). */
  update(rows: readonly (readonly number[])[]): void {
    const stats = this.requireStats();
    checkMatrix(rows, 'rows', stats.dimension);
    for (const row of rows) stats.update(row);
    this.precision = null;
  }

  /** Mahalanobis distances of `rows` under the current statistics. */
  score(rows: readonly (readonly number[])[]): number[] {
    const stats = this.requireStats();
    checkMatrix(rows, 'rows', stats.dimension);
    if (!this.precision) this.precision = pseudoInverse(new Matrix(stats.covariance()));
    const mean = stats.getMean();
    const p = this.precision;
    const d = stats.dimension;
    return rows.map((x) => {
      const dev = x.map((v, k) => v - (mean[k] as number));
      let q = 0;
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += p.get(a, b) * (dev[b] as number);
        q += (dev[a] as number) * s;
      }
      return Math.sqrt(Math.max(0, q));
    });
  }

  /** Scores rows and flags those above the threshold; optionally learns from them afterwards. */
  predict(rows: readonly (readonly number[])[]): OutlierResult[] {
    const threshold = this.threshold;
    if (threshold === null) throw invalidArgument('detector is not fitted: call fit(reference) first');
    const results = this.score(rows).map((score) => ({ isOutlier: score > threshold, score, threshold }));
    if (this.options.updateOnPredict) this.update(rows);
    return results;
  }

  private requireStats(): OnlineCovariance {
    if (!this.stats) throw invalidArgument('detector is not fitted: call fit(reference) first');
    return this.stats;
  }

  /** Plain JSON state (running statistics and threshold). */
  toJSON(): MahalanobisState {
    return {
      kind: 'mahalanobis',
      version: 1,
      options: { ...this.options },
      stats: this.stats?.toJSON() ?? null,
      threshold: this.threshold,
    };
  }

  /** Restores a detector saved with `toJSON`. */
  static fromJSON(state: MahalanobisState): MahalanobisDetector {
    if (state?.kind !== 'mahalanobis' || state.version !== 1)
      throw invalidArgument('not a mahalanobis state (version 1)');
    const d = new MahalanobisDetector(state.options);
    d.stats = state.stats && OnlineCovariance.fromJSON(state.stats);
    d.threshold = state.threshold;
    return d;
  }
}
