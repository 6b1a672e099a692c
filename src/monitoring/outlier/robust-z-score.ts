/**
 * Robust z-score outlier detector: per feature z = (x − median) / (1.4826 · MAD), where MAD is the
 * median absolute deviation and 1.4826 ≈ 1/Φ⁻¹(3/4) makes 1.4826·MAD estimate σ for normal data
 * (Rousseeuw & Croux 1993; Iglewicz & Hoaglin 1993 call |z| > 3.5 an outlier, our default
 * threshold). A row's score is its largest |z|; per-feature z-scores are reported.
 *
 * Degenerate scale: if MAD = 0 (over half the values equal) the scale falls back to
 * 1.2533 · mean absolute deviation (√(π/2), consistent for normal data); if that is 0 too the
 * feature is constant, and any other value gets z = ±Infinity.
 */
import { invalidArgument } from '../../errors/index.js';
import { checkMatrix } from '../matrix-input.js';
import { median } from '../stats/index.js';
import type { Detector, DetectorState, OutlierResult } from '../types.js';
import { quantileThreshold } from './threshold.js';

export interface RobustZScoreOptions {
  /** Threshold on the largest |z| (default 3.5); ignored when `fpr` is given. */
  threshold?: number;
  /** Fit the threshold as the (1 − fpr) quantile of the reference scores instead. */
  fpr?: number;
}

export interface RobustZScoreState extends DetectorState {
  kind: 'robust-z-score';
  version: 1;
  options: RobustZScoreOptions;
  fitted: { median: number[]; scale: number[]; threshold: number } | null;
}

const MAD_TO_SIGMA = 1.4826;
const MEAN_AD_TO_SIGMA = 1.2533;

/** Median/MAD outlier detector. */
export class RobustZScoreDetector
  implements Detector<readonly (readonly number[])[], OutlierResult[], RobustZScoreState>
{
  readonly kind = 'robust-z-score' as const;
  private readonly options: RobustZScoreOptions;
  private fitted: RobustZScoreState['fitted'] = null;

  constructor(options: RobustZScoreOptions = {}) {
    this.options = { ...options };
    if (options.fpr !== undefined && !(options.fpr > 0 && options.fpr < 1))
      throw invalidArgument('fpr must be in (0, 1)');
    if (options.threshold !== undefined && !(options.threshold > 0))
      throw invalidArgument('threshold must be positive');
  }

  /** Learns per-feature medians and robust scales, then the threshold. */
  fit(reference: readonly (readonly number[])[]): this {
    const d = checkMatrix(reference, 'reference');
    const med: number[] = [];
    const scale: number[] = [];
    for (let k = 0; k < d; k++) {
      const column = reference.map((r) => r[k] as number);
      const m = median(column);
      const absDev = column.map((v) => Math.abs(v - m));
      const mad = median(absDev);
      const meanAd = absDev.reduce((a, b) => a + b, 0) / absDev.length;
      med.push(m);
      scale.push(mad > 0 ? MAD_TO_SIGMA * mad : MEAN_AD_TO_SIGMA * meanAd);
    }
    this.fitted = { median: med, scale, threshold: this.options.threshold ?? 3.5 };
    if (this.options.fpr !== undefined) {
      this.fitted.threshold = quantileThreshold(
        this.predict(reference).map((r) => r.score),
        this.options.fpr,
      );
    }
    return this;
  }

  /** Per-row largest |z| with the per-feature z-scores. */
  predict(rows: readonly (readonly number[])[]): OutlierResult[] {
    const f = this.fitted;
    if (!f) throw invalidArgument('detector is not fitted: call fit(reference) first');
    checkMatrix(rows, 'rows', f.median.length);
    return rows.map((x) => {
      const perFeature = x.map((v, k) => {
        const dev = v - (f.median[k] as number);
        const s = f.scale[k] as number;
        if (s > 0) return dev / s;
        return dev === 0 ? 0 : dev > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      });
      const score = Math.max(...perFeature.map(Math.abs));
      return { isOutlier: score > f.threshold, score, threshold: f.threshold, perFeature };
    });
  }

  /** Plain JSON state. */
  toJSON(): RobustZScoreState {
    return {
      kind: 'robust-z-score',
      version: 1,
      options: { ...this.options },
      fitted: structuredClone(this.fitted),
    };
  }

  /** Restores a detector saved with `toJSON`. */
  static fromJSON(state: RobustZScoreState): RobustZScoreDetector {
    if (state?.kind !== 'robust-z-score' || state.version !== 1)
      throw invalidArgument('not a robust-z-score state (version 1)');
    const d = new RobustZScoreDetector(state.options);
    d.fitted = structuredClone(state.fitted);
    return d;
  }
}
