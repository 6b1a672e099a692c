import { readFileSync } from 'node:fs';

/**
 * Reads a committed JSON fixture from src/explain/fixtures. Each was written by the make-*.py script
 * beside it (scikit-learn 1.2.1 / SciPy 1.10.1 from Debian); tests never run Python.
 */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** The reference values of fixtures/make-metrics.py. */
export function loadMetricsFixture(): Record<string, Record<string, unknown>> {
  return loadFixture('metrics.json');
}

/** Asserts two numeric arrays agree elementwise within `tol` (NaN matches NaN). */
export function closeArrays(
  actual: readonly number[],
  expected: readonly number[],
  tol: number,
  what: string,
): void {
  if (actual.length !== expected.length)
    throw new Error(`${what}: length ${actual.length} vs ${expected.length}`);
  actual.forEach((v, i) => {
    const e = expected[i]!;
    const ok = (Number.isNaN(v) && Number.isNaN(e)) || Math.abs(v - e) <= tol;
    if (!ok) throw new Error(`${what}[${i}]: ${v} vs ${e}`);
  });
}
