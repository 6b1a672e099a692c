/**
 * The one seeded pseudo-random generator of Osprey. Every random step (monitoring's permutation
 * tests, subsampling and perturbations; explain's coalition sampling and background summaries;
 * the trainers' initialisation, bootstraps and shuffles; the demo's data split) draws from it, so
 * any result is reproducible from its seed, and a detector from its saved state.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * 2018, reference code xoshiro128starstar.c), 128-bit state, seeded through splitmix32 so that
 * nearby seeds give unrelated streams. The stream is frozen: monitoring's committed fixtures and
 * saved detector states depend on it, and `rng.test.ts` pins its first outputs.
 */
import { invalidArgument } from '../errors/index.js';

/** The four 32-bit words of xoshiro128** state; plain JSON. */
export type RngState = readonly [number, number, number, number];

export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal deviate (Box-Muller, one per pair of uniforms). */
  normal(): number;
  /** Shuffles `values` in place (Fisher-Yates) and returns it. */
  shuffle<T>(values: T[]): T[];
  /** Draws `k` distinct indices from [0, n) in random order (partial Fisher-Yates). */
  sampleIndices(n: number, k: number): number[];
  /** Current state; `createRng(state)` resumes the same stream. */
  state(): RngState;
}

// splitmix32: a Weyl sequence with the golden-ratio step 0x9e3779b9, each value passed through a
// 32-bit xorshift-multiply mixer (shifts 16/15/15, multipliers 0x21f0aaad and 0x735a2d97).
function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** Creates a generator from an integer seed or from a saved state. */
export function createRng(seed: number | RngState): Rng {
  let s0: number;
  let s1: number;
  let s2: number;
  let s3: number;
  if (typeof seed === 'number') {
    if (!Number.isInteger(seed)) throw invalidArgument(`seed must be an integer, got ${seed}`);
    const mix = splitmix32(seed);
    s0 = mix();
    s1 = mix();
    s2 = mix();
    s3 = mix();
  } else {
    if (!Array.isArray(seed) || seed.length !== 4 || !seed.every((w) => Number.isInteger(w))) {
      throw invalidArgument('rng state must be four 32-bit integers');
    }
    [s0, s1, s2, s3] = seed.map((w) => w >>> 0) as [number, number, number, number];
  }
  // xoshiro's all-zero state is a fixed point; splitmix never yields it, a corrupt save might.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  const next = (): number => {
    const hi = nextUint32() >>> 5; // 27 bits
    const lo = nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };

  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw invalidArgument(`int(n) needs a positive integer, got ${n}`);
    return Math.floor(next() * n);
  };

  return {
    next,
    int,
    normal() {
      // Box & Muller (1958). The sine partner is not cached, so `state()` alone resumes the stream.
      // 1 - next() is in (0, 1], so the log is finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle<T>(values: T[]): T[] {
      for (let i = values.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = values[i] as T;
        values[i] = values[j] as T;
        values[j] = tmp;
      }
      return values;
    },
    sampleIndices(n: number, k: number): number[] {
      if (!Number.isInteger(k) || k < 0 || k > n) throw invalidArgument(`cannot draw ${k} of ${n} indices`);
      // A partial Fisher–Yates shuffle of 0…n−1 that stores only the displaced slots: O(k), not O(n),
      // and the same draws and result as shuffling a full array.
      const displaced = new Map<number, number>();
      const picked = new Array<number>(k);
      for (let i = 0; i < k; i++) {
        const j = i + int(n - i);
        picked[i] = displaced.get(j) ?? j;
        displaced.set(j, displaced.get(i) ?? i);
      }
      return picked;
    },
    state: () => [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0],
  };
}
