import { invalidArgument } from '../errors/index.js';
import type { Rng } from './rng.js';

/**
 * A Gamma(shape, 1) draw: Marsaglia & Tsang, "A simple method for generating gamma variables",
 * ACM TOMS 26(3), 2000, with the squeeze test of their section 4; for shape < 1,
 * Gamma(shape + 1)·U^(1/shape) (same paper, section 6).
 */
export function sampleGamma(shape: number, rng: Rng): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw invalidArgument(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) return sampleGamma(shape + 1, rng) * (1 - rng.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next(); // (0, 1]: the log below stays finite
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Devroye 1986, ch. IX.4.1). */
export function sampleBeta(a: number, b: number, rng: Rng): number {
  const x = sampleGamma(a, rng);
  const y = sampleGamma(b, rng);
  return x / (x + y);
}
