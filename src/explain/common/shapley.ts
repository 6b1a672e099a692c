import { invalidArgument } from '../../errors/index.js';

/**
 * A cooperative game on M players: the value of a coalition given as a bitmask
 * (bit j set = player j present), one number per output.
 */
export type CoalitionValue = (mask: number) => number[];

/** The Shapley weight |S|!(M-|S|-1)!/M! for every coalition size |S| = 0..M-1. */
export function shapleyWeights(m: number): number[] {
  // Computed as 1 / (M * C(M-1, s)) to stay exact-ish for moderate M.
  const w: number[] = [];
  let binom = 1;
  for (let s = 0; s < m; s++) {
    w.push(1 / (m * binom));
    binom = (binom * (m - 1 - s)) / (s + 1);
  }
  return w;
}

/**
 * Exact Shapley values by the definition (Shapley 1953): every coalition is evaluated once and
 * phi_i = sum_{S not containing i} |S|!(M-|S|-1)!/M! (v(S + i) - v(S)). Cost O(2^M * M);
 * meant as the brute-force reference for M <= 16. Returns `[output][player]`.
 */
export function exactShapleyValues(m: number, value: CoalitionValue): number[][] {
  if (!Number.isInteger(m) || m < 1 || m > 20)
    throw invalidArgument('exact Shapley values need 1 <= M <= 20');
  const total = 1 << m;
  const cache: number[][] = new Array(total);
  for (let mask = 0; mask < total; mask++) cache[mask] = value(mask);
  const k = cache[0]!.length;
  const weights = shapleyWeights(m);
  const phi = Array.from({ length: k }, () => new Array<number>(m).fill(0));
  for (let mask = 0; mask < total; mask++) {
    const size = popcount(mask);
    if (size === m) continue;
    const w = weights[size]!;
    const base = cache[mask]!;
    for (let i = 0; i < m; i++) {
      const bit = 1 << i;
      if (mask & bit) continue;
      const withI = cache[mask | bit]!;
      for (let o = 0; o < k; o++) phi[o]![i]! += w * (withI[o]! - base[o]!);
    }
  }
  return phi;
}

/** Number of set bits in a 32-bit integer. */
export function popcount(x: number): number {
  let v = x >>> 0;
  let c = 0;
  while (v) {
    v &= v - 1;
    c++;
  }
  return c;
}
