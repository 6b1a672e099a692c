/**
 * Multivariate drift by the kernel maximum mean discrepancy (Gretton et al., "A kernel
 * two-sample test", JMLR 13, 2012) with a permutation test, as Alibi Detect's MMDDrift.
 *
 * Statistic: the unbiased MMD² (Gretton et al. eq. 3)
 *   Σ_{i≠j} k(x_i,x_j)/(n(n−1)) + Σ_{i≠j} k(y_i,y_j)/(m(m−1)) − 2 Σ_{i,j} k(x_i,y_j)/(nm).
 * p-value: share of `nPermutations` random relabellings of the pooled sample whose MMD² is at
 * least the observed one (Alibi: no +1, so p can be 0; `plusOne: true` gives (1+#)/(1+B), an
 * exactly valid p-value). The kernel matrix is computed once; each permutation only re-sums it.
 */
import { invalidArgument, OspreyError } from '../../errors/index.js';
import { createRng, type Rng, type RngState } from '../../random/index.js';
import { checkMatrix, copyRows } from '../matrix-input.js';
import type { Detector, DetectorState, DriftResult } from '../types.js';
import { medianHeuristicSigma } from './rbf-kernel.js';

export interface MmdDriftOptions {
  /** Drift iff p < pValue (default 0.05). */
  pValue?: number;
  /** Permutations for the p-value (default 100, as Alibi). */
  nPermutations?: number;
  /** RBF bandwidth σ; default: median heuristic on the reference at fit. */
  sigma?: number;
  /** Seed for permutations and the bandwidth subsample (default 0). */
  seed?: number;
  /** p = (1 + #{perm >= obs})/(1 + B) instead of Alibi's #{perm >= obs}/B (default false). */
  plusOne?: boolean;
  /** Largest pooled sample (reference + current) accepted; the kernel matrix is O(N²) memory (default 4000). */
  maxPooled?: number;
}

type Resolved = Required<Omit<MmdDriftOptions, 'sigma'>> & { sigma?: number };

export interface MmdDriftState extends DetectorState {
  kind: 'mmd-drift';
  version: 1;
  options: Resolved;
  sigma: number | null;
  reference: number[][] | null;
  rng: RngState;
}

/**
 * The kernel once per test: packed upper triangle (row i holds K(i, j) for j > i) with its row sums
 * and total, so a split costs one pass over the pairs inside the reference side only.
 */
interface PooledKernel {
  packed: Float64Array;
  rowSums: Float64Array;
  total: number;
  size: number;
}

function pooledKernel(pooled: readonly (readonly number[])[], sigma: number): PooledKernel {
  const N = pooled.length;
  const d = pooled[0]?.length ?? 0;
  // Rows packed flat: the O(N²·d) distance loop then reads contiguous memory.
  const flat = new Float64Array(N * d);
  for (const [i, row] of pooled.entries()) flat.set(row, i * d);
  const packed = new Float64Array((N * (N - 1)) / 2);
  const rowSums = new Float64Array(N);
  const scale = -1 / (2 * sigma * sigma);
  let p = 0;
  let total = 0;
  for (let i = 0; i < N; i++) {
    const a = i * d;
    let rowSum = 0;
    for (let j = i + 1; j < N; j++) {
      const b = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = flat[a + k]! - flat[b + k]!;
        s += diff * diff;
      }
      const value = Math.exp(scale * s);
      packed[p++] = value;
      rowSum += value;
      rowSums[j]! += value;
    }
    rowSums[i]! += rowSum;
    total += rowSum;
  }
  return { packed, rowSums, total, size: N };
}

/**
 * Unbiased MMD² when the rows `xs` (ascending) form the reference side. Only the X–X pairs are summed:
 * the X rows' kernel sums count each X–Y pair once and each X–X pair twice, and the rest is Y–Y.
 */
function mmd2(kernel: PooledKernel, xs: Int32Array): number {
  const { packed, rowSums, total, size: N } = kernel;
  const n = xs.length;
  const m = N - n;
  let sxx = 0;
  let fromX = 0;
  for (let a = 0; a < n; a++) {
    const i = xs[a]!;
    fromX += rowSums[i]!;
    // K(i, j) sits at rowStart(i) + j - i - 1, rowStart(i) = i(N - 1) - i(i - 1)/2.
    const offset = i * (N - 1) - (i * (i - 1)) / 2 - i - 1;
    for (let b = a + 1; b < n; b++) sxx += packed[offset + xs[b]!]!;
  }
  const sxy = fromX - 2 * sxx;
  const syy = total - sxx - sxy;
  return (2 * sxx) / (n * (n - 1)) + (2 * syy) / (m * (m - 1)) - (2 * sxy) / (n * m);
}

/** The positions labelled 1, ascending. */
function sidesOf(labels: ArrayLike<number>, n: number): Int32Array {
  const xs = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) xs[k++] = i;
  return xs;
}

/** MMD drift detector with an RBF kernel and a seeded permutation test. */
export class MmdDriftDetector
  implements Detector<readonly (readonly number[])[], DriftResult, MmdDriftState>
{
  readonly kind = 'mmd-drift' as const;
  private readonly options: Resolved;
  private reference: number[][] | null = null;
  private sigma: number | null = null;
  private rng: Rng;

  constructor(options: MmdDriftOptions = {}) {
    this.options = {
      pValue: options.pValue ?? 0.05,
      nPermutations: options.nPermutations ?? 100,
      seed: options.seed ?? 0,
      plusOne: options.plusOne ?? false,
      maxPooled: options.maxPooled ?? 4000,
      ...(options.sigma !== undefined ? { sigma: options.sigma } : {}),
    };
    const o = this.options;
    if (!(o.pValue > 0 && o.pValue < 1)) throw invalidArgument('pValue must be in (0, 1)');
    if (!Number.isInteger(o.nPermutations) || o.nPermutations < 1)
      throw invalidArgument('nPermutations must be a positive integer');
    if (o.sigma !== undefined && !(o.sigma > 0)) throw invalidArgument('sigma must be positive');
    this.rng = createRng(o.seed);
  }

  /** Stores the reference and fixes the kernel bandwidth. */
  fit(reference: readonly (readonly number[])[]): this {
    checkMatrix(reference, 'reference');
    if (reference.length < 2) throw invalidArgument('MMD needs at least two reference rows');
    this.reference = copyRows(reference);
    this.sigma = this.options.sigma ?? medianHeuristicSigma(this.reference, this.rng);
    return this;
  }

  /** Tests `current` against the reference. */
  predict(current: readonly (readonly number[])[]): DriftResult {
    const reference = this.reference;
    const sigma = this.sigma;
    if (!reference || sigma === null)
      throw invalidArgument('detector is not fitted: call fit(reference) first');
    checkMatrix(current, 'current', (reference[0] as number[]).length);
    if (current.length < 2) throw invalidArgument('MMD needs at least two current rows');
    const n = reference.length;
    const m = current.length;
    const N = n + m;
    if (N > this.options.maxPooled) {
      throw new OspreyError(
        'RESOURCE_EXHAUSTED',
        `pooled sample of ${N} rows exceeds maxPooled=${this.options.maxPooled}`,
      );
    }
    const kernel = pooledKernel([...reference, ...current], sigma);
    const labels = new Uint8Array(N);
    labels.fill(1, 0, n);
    const observed = mmd2(kernel, sidesOf(labels, n));
    const permuted: number[] = [];
    let atLeast = 0;
    const perm = Array.from(labels);
    for (let b = 0; b < this.options.nPermutations; b++) {
      this.rng.shuffle(perm);
      const stat = mmd2(kernel, sidesOf(perm, n));
      permuted.push(stat);
      if (stat >= observed) atLeast++;
    }
    const B = this.options.nPermutations;
    const pValue = this.options.plusOne ? (1 + atLeast) / (1 + B) : atLeast / B;
    const sorted = permuted.sort((a, b) => b - a);
    const distanceThreshold = sorted[Math.min(B - 1, Math.floor(this.options.pValue * B))] as number;
    return {
      isDrift: pValue < this.options.pValue,
      distance: observed,
      pValue,
      threshold: this.options.pValue,
      distanceThreshold,
      method: 'mmd-permutation',
    };
  }

  /** Plain JSON state (reference rows, bandwidth, RNG position). */
  toJSON(): MmdDriftState {
    return {
      kind: 'mmd-drift',
      version: 1,
      options: structuredClone(this.options),
      sigma: this.sigma,
      reference: this.reference && copyRows(this.reference),
      rng: this.rng.state(),
    };
  }

  /** Restores a detector saved with `toJSON`, RNG position included. */
  static fromJSON(state: MmdDriftState): MmdDriftDetector {
    if (state?.kind !== 'mmd-drift' || state.version !== 1)
      throw invalidArgument('not an mmd-drift state (version 1)');
    const d = new MmdDriftDetector(state.options);
    d.reference = state.reference && copyRows(state.reference);
    d.sigma = state.sigma;
    d.rng = createRng(state.rng);
    return d;
  }
}
