import { Matrix, solve as mlSolve } from 'ml-matrix';

/**
 * Solves the symmetric positive-definite system A x = b by Cholesky (A is p x p, row-major).
 * Returns null when A is not numerically positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]!));
  const tiny = 1e-13 * Math.max(maxDiag, Number.MIN_VALUE);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (!(s > tiny)) return null;
        l[i * p + i] = Math.sqrt(s);
      } else {
        l[i * p + j] = s / l[j * p + j]!;
      }
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * y[k]!;
    y[i] = s / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  return x;
}

/**
 * Solves A x = b for symmetric A: Cholesky when positive definite, else the minimum-norm
 * least-squares solution through an SVD (as numpy's lstsq fallback does for singular systems).
 */
export function solveSymmetric(
  a: Float64Array,
  b: Float64Array,
  p: number,
): { x: Float64Array; singular: boolean } {
  const x = choleskySolve(a, b, p);
  if (x) return { x, singular: false };
  const rows = Array.from({ length: p }, (_, i) => Array.from(a.subarray(i * p, (i + 1) * p)));
  const sol = mlSolve(new Matrix(rows), Matrix.columnVector(Array.from(b)), true);
  return { x: Float64Array.from(sol.getColumn(0)), singular: true };
}

/** X^T diag(w) X and X^T diag(w) y for a row-major n x p design (w optional). */
export function weightedNormalEquations(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  w?: Float64Array,
): { xtx: Float64Array; xty: Float64Array } {
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const wr = w ? w[r]! : 1;
    if (wr === 0) continue;
    const off = r * p;
    for (let i = 0; i < p; i++) {
      const xi = x[off + i]! * wr;
      if (xi === 0) continue;
      xty[i]! += xi * y[r]!;
      for (let j = 0; j <= i; j++) xtx[i * p + j]! += xi * x[off + j]!;
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) xtx[j * p + i] = xtx[i * p + j]!;
  return { xtx, xty };
}
