/**
 * Gaussian RBF kernel k(x, y) = exp(−‖x − y‖² / (2σ²)) and the median heuristic for σ,
 * σ = √(median ‖x_i − x_j‖² / 2) over distinct pairs (Gretton et al., JMLR 13, 2012, §8; the
 * form Alibi Detect uses).
 */

import type { Rng } from '../../random/index.js';
import { median } from '../stats/index.js';

/** Squared Euclidean distance. */
export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const d = (a[k] as number) - (b[k] as number);
    s += d * d;
  }
  return s;
}

/**
 * Median-heuristic bandwidth from `rows` (at most `maxPoints` of them, drawn with `rng`, so the
 * cost stays O(maxPoints²)). Falls back to σ = 1 when all points coincide.
 */
export function medianHeuristicSigma(
  rows: readonly (readonly number[])[],
  rng: Rng,
  maxPoints = 1000,
): number {
  const idx = rows.length > maxPoints ? rng.sampleIndices(rows.length, maxPoints) : rows.map((_, i) => i);
  const d2: number[] = [];
  for (let i = 0; i < idx.length; i++) {
    for (let j = i + 1; j < idx.length; j++) {
      d2.push(squaredDistance(rows[idx[i] as number] as number[], rows[idx[j] as number] as number[]));
    }
  }
  if (d2.length === 0) return 1;
  const m = median(d2);
  return m > 0 ? Math.sqrt(m / 2) : 1;
}
