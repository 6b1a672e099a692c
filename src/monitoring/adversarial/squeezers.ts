/**
 * Input transformations for prediction-stability scores: feature squeezing (Xu, Evans & Qi,
 * "Feature Squeezing: Detecting Adversarial Examples in Deep Neural Networks", NDSS 2018) adapted
 * to tabular features, and small Gaussian perturbations.
 */
import { invalidArgument } from '../../errors/index.js';
import type { Rng } from '../../random/index.js';

/**
 * `bit-depth`: quantise each feature to 2^bits levels over the reference range [min, max] (Xu et
 * al.'s colour-depth reduction, with the reference range standing in for [0, 255]).
 * `round`: round to a number of decimals.
 */
export type Squeezer = { kind: 'bit-depth'; bits: number } | { kind: 'round'; decimals: number };

export interface FeatureRanges {
  min: number[];
  max: number[];
  std: number[];
}

/** Checks a squeezer's parameters. */
export function checkSqueezer(s: Squeezer): void {
  if (s.kind === 'bit-depth') {
    if (!Number.isInteger(s.bits) || s.bits < 1 || s.bits > 30)
      throw invalidArgument('bit-depth bits must be an integer in 1..30');
  } else if (s.kind === 'round') {
    if (!Number.isInteger(s.decimals) || s.decimals < 0 || s.decimals > 15)
      throw invalidArgument('round decimals must be an integer in 0..15');
  } else throw invalidArgument('unknown squeezer kind');
}

/** Applies a squeezer to one row. */
export function squeeze(row: readonly number[], s: Squeezer, ranges: FeatureRanges): number[] {
  if (s.kind === 'round') {
    const f = 10 ** s.decimals;
    return row.map((v) => Math.round(v * f) / f);
  }
  const levels = 2 ** s.bits - 1;
  return row.map((v, k) => {
    const lo = ranges.min[k] as number;
    const span = (ranges.max[k] as number) - lo;
    if (!(span > 0)) return v;
    return lo + (Math.round(((v - lo) / span) * levels) / levels) * span;
  });
}

/** Adds N(0, (scale·std_k)²) noise to each feature. */
export function perturb(row: readonly number[], scale: number, ranges: FeatureRanges, rng: Rng): number[] {
  return row.map((v, k) => v + rng.normal() * scale * (ranges.std[k] as number));
}

/** Per-feature min, max and population std of the reference (std 0 → 1 so noise is never zero). */
export function featureRanges(rows: readonly (readonly number[])[]): FeatureRanges {
  const d = (rows[0] as readonly number[]).length;
  const min = new Array<number>(d).fill(Number.POSITIVE_INFINITY);
  const max = new Array<number>(d).fill(Number.NEGATIVE_INFINITY);
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) {
    for (let k = 0; k < d; k++) {
      const v = r[k] as number;
      if (v < (min[k] as number)) min[k] = v;
      if (v > (max[k] as number)) max[k] = v;
      mean[k] = (mean[k] as number) + v / rows.length;
    }
  }
  const variance = new Array<number>(d).fill(0);
  for (const r of rows)
    for (let k = 0; k < d; k++)
      variance[k] = (variance[k] as number) + ((r[k] as number) - (mean[k] as number)) ** 2 / rows.length;
  return { min, max, std: variance.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}
