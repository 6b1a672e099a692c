import type { Rng } from '../../random/index.js';

/** Coalitions to evaluate (masks over the M varying features) and their regression weights. */
export interface CoalitionPlan {
  masks: Uint8Array[];
  weights: Float64Array;
  /** True when every coalition of size 1..M-1 is present with its exact Shapley-kernel weight. */
  exact: boolean;
}

/** C(n, k) in floating point (exact for the sizes KernelSHAP enumerates). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) c = (c * (n - i + 1)) / i;
  return c > 2 ** 53 ? c : Math.round(c);
}

/**
 * Shapley kernel pi(z) = (M-1) / (C(M,|z|) |z| (M-|z|)) (Lundberg & Lee 2017, Theorem 2).
 * Empty and full coalitions have infinite weight; KernelSHAP enforces them as constraints instead.
 */
export function shapleyKernel(m: number, size: number): number {
  return (m - 1) / (binomial(m, size) * size * (m - size));
}

/** Every coalition of size 1..M-1 with its Shapley-kernel weight (2^M - 2 masks). */
export function enumerateCoalitions(m: number): CoalitionPlan {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const total = 2 ** m;
  for (let bits = 1; bits < total - 1; bits++) {
    const z = new Uint8Array(m);
    let size = 0;
    for (let j = 0; j < m; j++) {
      if (Math.floor(bits / 2 ** j) % 2 === 1) {
        z[j] = 1;
        size++;
      }
    }
    masks.push(z);
    weights.push(shapleyKernel(m, size));
  }
  return { masks, weights: Float64Array.from(weights), exact: true };
}

/**
 * About `nsamples` coalitions chosen as in Lundberg & Lee 2017 sec. 4.1 and the shap package:
 * the kernel's mass per size s (proportional to (M-1)/(s(M-s)), sizes s and M-s paired) is walked
 * from the smallest sizes; a size is fully enumerated (each mask at weight mass/C(M,s)) while the
 * budget covers it, the remaining mass is spent on random coalitions drawn by size, each with its
 * complement (paired sampling, which cancels the first-order sampling error); duplicates add
 * weight instead of new rows, and the sampled weights are rescaled to the remaining mass.
 */
export function sampleCoalitions(m: number, nsamples: number, rng: Rng): CoalitionPlan {
  const numSizes = Math.ceil((m - 1) / 2);
  const numPaired = Math.floor((m - 1) / 2);
  const sizeWeight = Array.from({ length: numSizes }, (_, i) => (m - 1) / ((i + 1) * (m - i - 1)));
  for (let i = 0; i < numPaired; i++) sizeWeight[i]! *= 2;
  const norm = sizeWeight.reduce((a, b) => a + b, 0);
  for (let i = 0; i < numSizes; i++) sizeWeight[i]! /= norm;

  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  let left = nsamples;
  let fullSizes = 0;
  const remaining = [...sizeWeight];
  for (let s = 1; s <= numSizes; s++) {
    const paired = s <= numPaired;
    const nSubsets = binomial(m, s) * (paired ? 2 : 1);
    if ((left * remaining[s - 1]!) / nSubsets < 1 - 1e-8) break;
    fullSizes++;
    left -= nSubsets;
    if (remaining[s - 1]! < 1) {
      const r = 1 - remaining[s - 1]!;
      for (let i = 0; i < numSizes; i++) remaining[i]! /= r;
    }
    const w = sizeWeight[s - 1]! / binomial(m, s) / (paired ? 2 : 1);
    forEachSubset(m, s, (z) => {
      masks.push(z);
      weights.push(w);
      if (paired) {
        masks.push(z.map((v) => 1 - v));
        weights.push(w);
      }
    });
  }
  if (fullSizes === numSizes) return { masks, weights: Float64Array.from(weights), exact: true };

  // Spend what is left on random coalitions of the sizes not enumerated.
  const leftMass = sizeWeight.slice(fullSizes).reduce((a, b) => a + b, 0);
  const probs = sizeWeight.slice(fullSizes).map((v, i) => (fullSizes + i + 1 <= numPaired ? v / 2 : v));
  const probNorm = probs.reduce((a, b) => a + b, 0);
  const firstSampled = masks.length;
  const index = new Map<string, number>();
  const add = (z: Uint8Array): void => {
    const key = z.join('');
    const at = index.get(key);
    if (at !== undefined) {
      weights[at]! += 1;
      return;
    }
    index.set(key, masks.length);
    masks.push(z);
    weights.push(1);
    left--;
  };
  const maxDraws = 4 * nsamples + 100;
  for (let draw = 0; left > 0 && draw < maxDraws; draw++) {
    let u = rng.next() * probNorm;
    let s = fullSizes + 1;
    for (let i = 0; i < probs.length - 1 && u >= probs[i]!; i++, s++) u -= probs[i]!;
    const z = new Uint8Array(m);
    for (const j of rng.sampleIndices(m, s)) z[j] = 1;
    add(z);
    if (s <= numPaired) add(z.map((v) => 1 - v));
  }
  let sampledTotal = 0;
  for (let i = firstSampled; i < weights.length; i++) sampledTotal += weights[i]!;
  for (let i = firstSampled; i < weights.length; i++) weights[i] = (weights[i]! * leftMass) / sampledTotal;
  return { masks, weights: Float64Array.from(weights), exact: false };
}

function forEachSubset(m: number, s: number, visit: (z: Uint8Array) => void): void {
  const idx = Array.from({ length: s }, (_, i) => i);
  for (;;) {
    const z = new Uint8Array(m);
    for (const j of idx) z[j] = 1;
    visit(z);
    let i = s - 1;
    while (i >= 0 && idx[i] === m - s + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let k = i + 1; k < s; k++) idx[k] = idx[k - 1]! + 1;
  }
}
