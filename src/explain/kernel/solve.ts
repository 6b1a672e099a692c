import { solveSymmetric, weightedNormalEquations } from '../common/linalg.js';

/**
 * Weighted least squares for KernelSHAP with the efficiency constraint enforced exactly
 * (Lundberg & Lee 2017 sec. 4.1; shap's `solve`): with `total` = f(x) - E[f(X)] in link space,
 * the last selected feature is eliminated, phi_last = total - sum(others), so the regression of
 * y - z_last * total on (z_j - z_last) needs no constraint and sum(phi) == total to rounding.
 * Features outside `selected` get 0. Returns phi over all m mask columns.
 */
export function solveKernelRegression(
  masks: Uint8Array[],
  weights: Float64Array,
  y: Float64Array,
  total: number,
  selected: number[],
  m: number,
): { phi: Float64Array; singular: boolean } {
  const phi = new Float64Array(m);
  if (selected.length === 0) return { phi, singular: false };
  const last = selected[selected.length - 1]!;
  if (selected.length === 1) {
    phi[last] = total;
    return { phi, singular: false };
  }
  const p = selected.length - 1;
  const n = masks.length;
  const x = new Float64Array(n * p);
  const target = new Float64Array(n);
  masks.forEach((z, r) => {
    const zl = z[last]!;
    for (let i = 0; i < p; i++) x[r * p + i] = z[selected[i]!]! - zl;
    target[r] = y[r]! - zl * total;
  });
  const { xtx, xty } = weightedNormalEquations(x, target, n, p, weights);
  const { x: beta, singular } = solveSymmetric(xtx, xty, p);
  let sum = 0;
  for (let i = 0; i < p; i++) {
    phi[selected[i]!] = beta[i]!;
    sum += beta[i]!;
  }
  phi[last] = total - sum;
  return { phi, singular };
}
