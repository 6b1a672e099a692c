/**
 * Average path length of an unsuccessful search in a binary search tree of n keys, used by
 * Isolation Forest to normalise depths (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008, eq. 1):
 *
 *   c(n) = 2 H(n − 1) − 2(n − 1)/n,   c(2) = 1,   c(n <= 1) = 0,
 *
 * with H the harmonic number. The paper approximates H(i) by ln(i) + γ; we use H itself (exact
 * sum up to 1024, then the asymptotic series ln i + γ + 1/(2i) − 1/(12i²) + 1/(120i⁴), accurate to
 * double precision there), which gives c(2) = 1 without a special case.
 */

const EULER_GAMMA = 0.5772156649015329;
const EXACT_LIMIT = 1024;
const harmonicTable: number[] = [0];
for (let i = 1; i <= EXACT_LIMIT; i++) harmonicTable.push((harmonicTable[i - 1] as number) + 1 / i);

/** Harmonic number H(i) = Σ_{k=1}^{i} 1/k for integer i >= 0. */
export function harmonic(i: number): number {
  if (i <= EXACT_LIMIT) return harmonicTable[i] as number;
  const inv = 1 / i;
  const inv2 = inv * inv;
  return Math.log(i) + EULER_GAMMA + 0.5 * inv - inv2 / 12 + (inv2 * inv2) / 120;
}

/** c(n): expected path length of an unsuccessful BST search among n points. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  return 2 * harmonic(n - 1) - (2 * (n - 1)) / n;
}
