import assert from 'node:assert/strict';

/** Test helper: a seeded stream of uniform numbers in [0, 1) (mulberry32). */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Test helper: n rows of f features, uniform in [-scale, scale), rounded to float32. */
export function randomRows(n: number, f: number, seed: number, scale = 3): number[][] {
  const u = seededUniform(seed);
  return Array.from({ length: n }, () => Array.from({ length: f }, () => Math.fround((u() * 2 - 1) * scale)));
}

/** Test helper: asserts |a − e| <= abs + rel·|e| element-wise (float32 tolerance by default). */
export function assertClose(
  actual: readonly number[],
  expected: readonly number[],
  rel = 1e-5,
  abs = 1e-6,
): void {
  assert.equal(actual.length, expected.length, 'length');
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= abs + rel * Math.abs(e), `index ${i}: ${a} vs ${e}`);
  });
}
