/**
 * Distances between samples or distributions used as drift scores: the 1-Wasserstein
 * distance (scipy.stats.wasserstein_distance), Evidently's normalised Wasserstein, the
 * Jensen–Shannon distance (scipy.spatial.distance.jensenshannon) and the population stability
 * index.
 */
import { invalidArgument } from '../../errors/index.js';
import { sortedCopy, upperBound } from './sorting.js';

/** W1(u, v) = ∫ |F_u − F_v| dx for two unweighted samples (scipy.stats.wasserstein_distance). */
export function wassersteinDistance(u: readonly number[], v: readonly number[]): number {
  if (u.length === 0 || v.length === 0)
    throw invalidArgument('wassersteinDistance needs two non-empty samples');
  const a = sortedCopy(u, 'u');
  const b = sortedCopy(v, 'v');
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  let total = 0;
  for (let i = 0; i + 1 < all.length; i++) {
    const delta = (all[i + 1] as number) - (all[i] as number);
    if (delta === 0) continue;
    const x = all[i] as number;
    total += Math.abs(upperBound(a, x) / a.length - upperBound(b, x) / b.length) * delta;
  }
  return total;
}

/** Population standard deviation (ddof = 0, as numpy's default `np.std`). */
export function populationStd(values: readonly number[]): number {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / n);
}

/**
 * Evidently's `wasserstein` drift score: W1(reference, current) / max(std(reference), 0.001),
 * so the distance is in units of the reference's (population) standard deviation.
 */
export function normalizedWasserstein(reference: readonly number[], current: readonly number[]): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), 0.001);
}

/**
 * Jensen–Shannon distance √(JS(p‖q)) between two non-negative weight vectors (normalised to sum
 * 1 first), as scipy.spatial.distance.jensenshannon. Natural logarithm by default (range
 * [0, √ln 2]); pass `base = 2` for the range [0, 1].
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[], base?: number): number {
  if (p.length !== q.length || p.length === 0)
    throw invalidArgument('jensenShannonDistance needs two vectors of the same non-zero length');
  const sp = sumNonNegative(p, 'p');
  const sq = sumNonNegative(q, 'q');
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / sp;
    const qi = (q[i] as number) / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / m);
    if (qi > 0) js += qi * Math.log(qi / m);
  }
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}

/**
 * Population stability index Σ (r_i − c_i)·ln(r_i / c_i) over bin shares (Evidently's `psi`).
 * Shares must be positive: fill empty bins first (see `binShares`).
 */
export function populationStabilityIndex(
  referenceShares: readonly number[],
  currentShares: readonly number[],
): number {
  if (referenceShares.length !== currentShares.length)
    throw invalidArgument('PSI needs share vectors of the same length');
  let psi = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const r = referenceShares[i] as number;
    const c = currentShares[i] as number;
    if (!(r > 0) || !(c > 0)) throw invalidArgument('PSI needs positive shares; fill empty bins first');
    psi += (r - c) * Math.log(r / c);
  }
  return psi;
}

function sumNonNegative(values: readonly number[], name: string): number {
  let s = 0;
  for (const v of values) {
    if (!(v >= 0) || !Number.isFinite(v))
      throw invalidArgument(`${name} must hold finite non-negative weights`);
    s += v;
  }
  if (s === 0) throw invalidArgument(`${name} sums to zero`);
  return s;
}
