import type { Metric } from '../../src/tracking/index.js';

/** A small seeded PRNG (mulberry32) so every run of a benchmark writes the same values. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BATCH_SIZE = 1000;
export const KEYS_PER_BATCH = 10;

/** One logging batch as a training loop makes it: 10 metric keys × 100 consecutive steps from `firstStep`. */
export function metricBatch(firstStep: number, random: () => number, baseTime = 1_700_000_000_000): Metric[] {
  const metrics: Metric[] = [];
  const steps = BATCH_SIZE / KEYS_PER_BATCH;
  for (let s = 0; s < steps; s++) {
    const step = firstStep + s;
    for (let k = 0; k < KEYS_PER_BATCH; k++) {
      metrics.push({ key: `m${k}`, value: random(), timestamp: baseTime + step, step });
    }
  }
  return metrics;
}
