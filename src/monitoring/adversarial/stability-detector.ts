/**
 * Adversarial / suspicious-input detector from the served model's instability. Adversarial
 * examples sit where the model's output changes sharply, so small input changes that preserve the
 * meaning move the prediction a lot (Xu, Evans & Qi, NDSS 2018, feature squeezing; Hu et al.
 * 2019 and Roth et al. 2019 use the same idea with random noise).
 *
 * For each row x with prediction p = f(x):
 *   squeezeScore = max over squeezers s of D(p, f(s(x)))
 *   noiseScore   = mean over `nPerturbations` draws of D(p, f(x + ε)), ε_k ~ N(0, (noiseScale·σ_k)²)
 *   score        = max(squeezeScore, noiseScore)
 * with D the L1 distance (default) or KL(p ‖ ·), σ_k the reference std of feature k. The threshold
 * is the (1 − fpr) quantile of the reference scores (default fpr 0.01, i.e. Alibi's 99th
 * percentile); adversarial iff score > threshold. All noise comes from the seeded RNG.
 */
import { invalidArgument } from '../../errors/index.js';
import { createRng, type Rng, type RngState } from '../../random/index.js';
import { checkMatrix } from '../matrix-input.js';
import { quantileThreshold } from '../outlier/index.js';
import type { AdversarialResult, AsyncDetector, DetectorState } from '../types.js';
import { type OutputKind, type PredictionDistance, predictionDistance } from './prediction-distance.js';
import {
  checkSqueezer,
  type FeatureRanges,
  featureRanges,
  perturb,
  type Squeezer,
  squeeze,
} from './squeezers.js';

/** The served model: a batch of rows in, one output vector (probabilities or logits) per row out. */
export type PredictFn = (batch: number[][]) => Promise<number[][]> | number[][];

export interface StabilityOptions {
  squeezers?: Squeezer[];
  nPerturbations?: number;
  /** Noise standard deviation as a share of each feature's reference std (default 0.05). */
  noiseScale?: number;
  distance?: PredictionDistance;
  outputs?: OutputKind;
  fpr?: number;
  /** Most rows sent to the model per call, expanded rows included (default 4096). */
  maxBatchRows?: number;
  seed?: number;
}

export interface StabilityState extends DetectorState {
  kind: 'prediction-stability';
  version: 1;
  options: Required<StabilityOptions>;
  fitted: { ranges: FeatureRanges; threshold: number } | null;
  rng: RngState;
}

interface RowScore {
  score: number;
  squeezeScore: number;
  noiseScore: number;
}

/** Flags inputs on which the model's prediction is unstable under squeezing and small noise. */
export class PredictionStabilityDetector
  implements AsyncDetector<readonly (readonly number[])[], AdversarialResult[], StabilityState>
{
  readonly kind = 'prediction-stability' as const;
  private readonly options: Required<StabilityOptions>;
  private fitted: StabilityState['fitted'] = null;
  private rng: Rng;

  constructor(
    private readonly model: PredictFn,
    options: StabilityOptions = {},
  ) {
    if (typeof model !== 'function') throw invalidArgument('a predict function is required');
    this.options = {
      squeezers: options.squeezers ?? [{ kind: 'bit-depth', bits: 5 }],
      nPerturbations: options.nPerturbations ?? 8,
      noiseScale: options.noiseScale ?? 0.05,
      distance: options.distance ?? 'l1',
      outputs: options.outputs ?? 'probabilities',
      fpr: options.fpr ?? 0.01,
      maxBatchRows: options.maxBatchRows ?? 4096,
      seed: options.seed ?? 0,
    };
    const o = this.options;
    o.squeezers.forEach(checkSqueezer);
    if (!Number.isInteger(o.nPerturbations) || o.nPerturbations < 0)
      throw invalidArgument('nPerturbations must be a non-negative integer');
    if (o.squeezers.length === 0 && o.nPerturbations === 0)
      throw invalidArgument('need at least one squeezer or perturbation');
    if (!(o.noiseScale > 0)) throw invalidArgument('noiseScale must be positive');
    if (!['l1', 'kl'].includes(o.distance)) throw invalidArgument(`unknown distance "${o.distance}"`);
    if (!['probabilities', 'logits'].includes(o.outputs))
      throw invalidArgument(`unknown outputs "${o.outputs}"`);
    if (!Number.isInteger(o.maxBatchRows) || o.maxBatchRows < 1)
      throw invalidArgument('maxBatchRows must be a positive integer');
    this.rng = createRng(o.seed);
  }

  /** Learns feature ranges from the reference and the threshold from its scores. */
  async fit(reference: readonly (readonly number[])[]): Promise<this> {
    checkMatrix(reference, 'reference');
    const ranges = featureRanges(reference);
    this.fitted = { ranges, threshold: Number.POSITIVE_INFINITY };
    const scores = await this.scoreRows(reference, ranges);
    this.fitted.threshold = quantileThreshold(
      scores.map((s) => s.score),
      this.options.fpr,
    );
    return this;
  }

  /** Scores rows and flags those above the threshold. */
  async predict(rows: readonly (readonly number[])[]): Promise<AdversarialResult[]> {
    const fitted = this.fitted;
    if (!fitted) throw invalidArgument('detector is not fitted: call fit(reference) first');
    checkMatrix(rows, 'rows', fitted.ranges.min.length);
    const scores = await this.scoreRows(rows, fitted.ranges);
    return scores.map((s) => ({
      isAdversarial: s.score > fitted.threshold,
      threshold: fitted.threshold,
      ...s,
    }));
  }

  private async scoreRows(rows: readonly (readonly number[])[], ranges: FeatureRanges): Promise<RowScore[]> {
    const o = this.options;
    const variants = 1 + o.squeezers.length + o.nPerturbations;
    const rowsPerCall = Math.max(1, Math.floor(o.maxBatchRows / variants));
    const out: RowScore[] = [];
    for (let start = 0; start < rows.length; start += rowsPerCall) {
      const chunk = rows.slice(start, start + rowsPerCall);
      // Layout per row: original, squeezed variants, perturbed variants.
      const batch: number[][] = [];
      for (const x of chunk) {
        batch.push([...x]);
        for (const s of o.squeezers) batch.push(squeeze(x, s, ranges));
        for (let r = 0; r < o.nPerturbations; r++) batch.push(perturb(x, o.noiseScale, ranges, this.rng));
      }
      const predictions = await this.model(batch);
      if (!Array.isArray(predictions) || predictions.length !== batch.length) {
        throw invalidArgument(
          `model returned ${Array.isArray(predictions) ? predictions.length : 'no'} rows for a batch of ${batch.length}`,
        );
      }
      chunk.forEach((_, i) => {
        const base = i * variants;
        const p = checkOutput(predictions[base], base);
        let squeezeScore = 0;
        for (let s = 0; s < o.squeezers.length; s++) {
          const q = checkOutput(predictions[base + 1 + s], base + 1 + s, p.length);
          squeezeScore = Math.max(squeezeScore, predictionDistance(p, q, o.distance, o.outputs));
        }
        let noiseScore = 0;
        for (let r = 0; r < o.nPerturbations; r++) {
          const idx = base + 1 + o.squeezers.length + r;
          noiseScore +=
            predictionDistance(p, checkOutput(predictions[idx], idx, p.length), o.distance, o.outputs) /
            o.nPerturbations;
        }
        out.push({ score: Math.max(squeezeScore, noiseScore), squeezeScore, noiseScore });
      });
    }
    return out;
  }

  /** Plain JSON state (the model function itself is not saved). */
  toJSON(): StabilityState {
    return {
      kind: 'prediction-stability',
      version: 1,
      options: structuredClone(this.options),
      fitted: structuredClone(this.fitted),
      rng: this.rng.state(),
    };
  }

  /** Restores a detector saved with `toJSON`, attached to `model`. */
  static fromJSON(state: StabilityState, model: PredictFn): PredictionStabilityDetector {
    if (state?.kind !== 'prediction-stability' || state.version !== 1)
      throw invalidArgument('not a prediction-stability state (version 1)');
    const d = new PredictionStabilityDetector(model, state.options);
    d.fitted = structuredClone(state.fitted);
    d.rng = createRng(state.rng);
    return d;
  }
}

function checkOutput(row: unknown, index: number, width?: number): number[] {
  if (!Array.isArray(row) || row.length === 0 || (width !== undefined && row.length !== width)) {
    throw invalidArgument(
      `model output ${index} is not a vector${width !== undefined ? ` of ${width} values` : ''}`,
    );
  }
  for (const v of row) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw invalidArgument(`model output ${index} holds a non-finite value`);
  }
  return row as number[];
}
