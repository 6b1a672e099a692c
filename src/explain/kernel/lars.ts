import { choleskySolve, weightedNormalEquations } from '../common/linalg.js';

/** One breakpoint of a LARS path: coefficients, the active set and alpha = max|X^T r| / n. */
export interface LarsStep {
  active: number[];
  coef: Float64Array;
  alpha: number;
}

/**
 * Least angle regression (Efron, Hastie, Johnstone & Tibshirani 2004, "Least Angle Regression",
 * Ann. Statist. 32(2), sec. 2 and the lasso modification of sec. 3.1), without intercept or scaling,
 * on a row-major n x p design. 'lar' only adds variables; 'lasso' drops a variable whose coefficient
 * crosses zero, which makes the path the exact lasso path. Returns every breakpoint, starting at 0;
 * `entered` lists variables in the order they joined. Stops early if the active Gram matrix becomes
 * singular (exactly collinear columns).
 */
export function larsPath(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  options: { method?: 'lar' | 'lasso'; maxSteps?: number } = {},
): { steps: LarsStep[]; entered: number[] } {
  const method = options.method ?? 'lasso';
  const maxSteps = options.maxSteps ?? 8 * Math.min(n, p);
  const { xtx: g, xty } = weightedNormalEquations(x, y, n, p);
  const beta = new Float64Array(p);
  const active: number[] = [];
  const entered: number[] = [];
  const steps: LarsStep[] = [];
  const maxActive = Math.min(n, p);
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, Math.abs(xty[j]!));
  const tol = 1e-12 * Math.max(scale, 1e-300);
  let dropped = false;

  for (let iter = 0; ; iter++) {
    const c = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let s = xty[j]!;
      for (let k = 0; k < p; k++) s -= g[j * p + k]! * beta[k]!;
      c[j] = s;
    }
    let cMax = 0;
    for (let j = 0; j < p; j++) cMax = Math.max(cMax, Math.abs(c[j]!));
    steps.push({ active: [...active], coef: Float64Array.from(beta), alpha: cMax / n });
    if (cMax <= tol || iter >= maxSteps) break;
    if (!dropped) {
      if (active.length >= maxActive) break;
      let best = -1;
      for (let j = 0; j < p; j++) {
        if (!active.includes(j) && (best === -1 || Math.abs(c[j]!) > Math.abs(c[best]!))) best = j;
      }
      active.push(best);
      entered.push(best);
    }
    dropped = false;
    const q = active.length;
    const s = active.map((j) => (c[j]! >= 0 ? 1 : -1));
    const ga = new Float64Array(q * q);
    for (let i = 0; i < q; i++) {
      for (let k = 0; k < q; k++) ga[i * q + k] = s[i]! * s[k]! * g[active[i]! * p + active[k]!]!;
    }
    const ones = new Float64Array(q).fill(1);
    const sol = choleskySolve(ga, ones, q);
    if (!sol) break;
    let sum = 0;
    for (let i = 0; i < q; i++) sum += sol[i]!;
    const aa = 1 / Math.sqrt(sum);
    const w = sol.map((v) => v * aa);
    // Equiangular direction u = X_A (s * w); a_j = x_j^T u. Step until an inactive variable ties (eq. 2.13).
    let gamma = cMax / aa;
    for (let j = 0; j < p; j++) {
      if (active.includes(j)) continue;
      let a = 0;
      for (let i = 0; i < q; i++) a += g[j * p + active[i]!]! * s[i]! * w[i]!;
      for (const cand of [(cMax - c[j]!) / (aa - a), (cMax + c[j]!) / (aa + a)]) {
        if (cand > 1e-15 * gamma && cand < gamma) gamma = cand;
      }
    }
    // Lasso modification (sec. 3.1): stop where an active coefficient would change sign, and drop it.
    let drop = -1;
    if (method === 'lasso') {
      for (let i = 0; i < q; i++) {
        const d = s[i]! * w[i]!;
        const gi = -beta[active[i]!]! / d;
        if (gi > 1e-15 && gi < gamma) {
          gamma = gi;
          drop = i;
        }
      }
    }
    for (let i = 0; i < q; i++) beta[active[i]!]! += gamma * s[i]! * w[i]!;
    if (drop !== -1) {
      beta[active[drop]!] = 0;
      active.splice(drop, 1);
      dropped = true;
    }
  }
  return { steps, entered };
}
