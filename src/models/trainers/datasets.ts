import { invalidArgument } from '../../errors/index.js';
import { createRng } from '../../random/index.js';
import { positiveInt } from './data.js';

/** A generated data set: rows X and targets or class labels y. */
export interface Dataset {
  X: number[][];
  y: number[];
}

/** Options for {@link makeBlobs}. */
export interface BlobsOptions {
  nSamples: number;
  nFeatures?: number;
  /** Number of clusters (centres drawn uniformly in centerBox) or explicit centres. Default 2. */
  centers?: number | number[][];
  clusterStd?: number;
  centerBox?: [number, number];
  seed?: number;
}

/** Isotropic Gaussian clusters, label = cluster index; samples split evenly (like sklearn make_blobs). */
export function makeBlobs(options: BlobsOptions): Dataset {
  const n = positiveInt('nSamples', options.nSamples, 1);
  const rng = createRng(options.seed ?? 0);
  const [lo, hi] = options.centerBox ?? [-10, 10];
  const centers =
    typeof options.centers === 'object'
      ? options.centers
      : Array.from({ length: positiveInt('centers', options.centers, 2) }, () =>
          Array.from(
            { length: positiveInt('nFeatures', options.nFeatures, 2) },
            () => lo + (hi - lo) * rng.next(),
          ),
        );
  const f = centers[0]?.length ?? 0;
  if (centers.length === 0 || f === 0 || centers.some((c) => c.length !== f)) {
    throw invalidArgument('centers must be a non-empty list of equal-length points');
  }
  const std = options.clusterStd ?? 1;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor((i * centers.length) / n);
    X.push(centers[k]!.map((c) => c + std * rng.normal()));
    y.push(k);
  }
  return { X, y };
}

/** Options for {@link makeMoons}. */
export interface MoonsOptions {
  nSamples: number;
  noise?: number;
  seed?: number;
}

/** Two interleaving half circles in 2-D, labels 0 (outer) and 1 (inner) (sklearn make_moons geometry). */
export function makeMoons(options: MoonsOptions): Dataset {
  const n = positiveInt('nSamples', options.nSamples, 1);
  const rng = createRng(options.seed ?? 0);
  const noise = options.noise ?? 0;
  const nOuter = Math.floor(n / 2);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const outer = i < nOuter;
    const m = outer ? nOuter : n - nOuter;
    const t = (Math.PI * (outer ? i : i - nOuter)) / Math.max(m - 1, 1);
    const [x0, x1] = outer ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    X.push([x0 + noise * rng.normal(), x1 + noise * rng.normal()]);
    y.push(outer ? 0 : 1);
  }
  return { X, y };
}

/** Options for {@link makeLinear}. */
export interface LinearOptions {
  nSamples: number;
  nFeatures?: number;
  /** True coefficients (default: uniform in [-5, 5]). */
  coef?: number[];
  intercept?: number;
  /** Standard deviation of the Gaussian noise added to y. */
  noise?: number;
  seed?: number;
}

/** y = X·coef + intercept + noise·ε with X ~ N(0, 1); returns the true coefficients too. */
export function makeLinear(options: LinearOptions): Dataset & { coef: number[]; intercept: number } {
  const n = positiveInt('nSamples', options.nSamples, 1);
  const rng = createRng(options.seed ?? 0);
  const coef =
    options.coef ??
    Array.from({ length: positiveInt('nFeatures', options.nFeatures, 3) }, () => 10 * rng.next() - 5);
  if (options.nFeatures !== undefined && coef.length !== options.nFeatures) {
    throw invalidArgument(`coef has ${coef.length} values but nFeatures is ${options.nFeatures}`);
  }
  const intercept = options.intercept ?? 0;
  const noise = options.noise ?? 0;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = coef.map(() => rng.normal());
    X.push(row);
    y.push(row.reduce((s, v, j) => s + v * coef[j]!, intercept) + noise * rng.normal());
  }
  return { X, y, coef, intercept };
}

/** Options for {@link makeXor}. */
export interface XorOptions {
  nSamples: number;
  /** Extra uniform noise features after the two informative ones. Default 0. */
  nNoiseFeatures?: number;
  seed?: number;
}

/** Points uniform in [-1, 1]^2 labelled (x0 > 0) XOR (x1 > 0): no linear model separates them. */
export function makeXor(options: XorOptions): Dataset {
  const n = positiveInt('nSamples', options.nSamples, 1);
  const rng = createRng(options.seed ?? 0);
  const extra = options.nNoiseFeatures ?? 0;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 2 + extra }, () => 2 * rng.next() - 1);
    X.push(row);
    y.push(row[0]! > 0 !== row[1]! > 0 ? 1 : 0);
  }
  return { X, y };
}
