import { invalidArgument } from '../../errors/index.js';
import { choleskySolve, weightedNormalEquations } from '../common/linalg.js';
import { larsPath } from './lars.js';

/**
 * L1 feature selection before the KernelSHAP regression (shap's `l1_reg`):
 * - `false`: none; `'auto'`: AIC when fewer than 20% of all coalitions were evaluated, else none
 *   (shap's pre-0.47 default; it never triggers under exact enumeration);
 * - `'aic'` / `'bic'`: the lasso path by LARS, keeping the breakpoint with the lowest information
 *   criterion (the sklearn LassoLarsIC definition without intercept);
 * - `{ numFeatures: k }` or `'num_features(k)'`: the first k variables to enter the LARS path;
 * - a number alpha: lasso by cyclic coordinate descent at that alpha (sklearn Lasso objective).
 * If a criterion keeps nothing, the first variable on the LARS path is kept, so that the whole
 * f(x) - E[f] is still attributed (shap returns all zeros there, breaking local accuracy).
 */
export type L1Reg =
  | false
  | 'auto'
  | 'aic'
  | 'bic'
  | number
  | { numFeatures: number }
  | `num_features(${number})`;

/** A parsed, validated L1Reg. */
export type L1Plan =
  | { kind: 'none' }
  | { kind: 'auto' }
  | { kind: 'ic'; criterion: 'aic' | 'bic' }
  | { kind: 'count'; k: number }
  | { kind: 'alpha'; alpha: number };

/** Parses an `l1Reg` option, throwing INVALID_ARGUMENT on anything else. */
export function parseL1Reg(reg: L1Reg | undefined): L1Plan {
  if (reg === undefined || reg === 'auto') return { kind: 'auto' };
  if (reg === false) return { kind: 'none' };
  if (reg === 'aic' || reg === 'bic') return { kind: 'ic', criterion: reg };
  if (typeof reg === 'number') {
    if (!(reg >= 0) || !Number.isFinite(reg))
      throw invalidArgument('l1Reg alpha must be a finite number >= 0');
    return { kind: 'alpha', alpha: reg };
  }
  const k = typeof reg === 'string' ? Number(/^num_features\((\d+)\)$/.exec(reg)?.[1]) : reg.numFeatures;
  if (!Number.isInteger(k) || k < 1) throw invalidArgument(`invalid l1Reg ${JSON.stringify(reg)}`);
  return { kind: 'count', k };
}

/**
 * Chooses the features to keep (indices into the m mask columns). As in the shap package the
 * regression is augmented so selection respects efficiency: each coalition z appears with weight
 * w(M-|z|) and target y, and as (z - 1) with weight w|z| and target y - total (its complement's view).
 */
export function selectFeatures(
  masks: Uint8Array[],
  kernelWeights: Float64Array,
  y: Float64Array,
  total: number,
  m: number,
  plan: Exclude<L1Plan, { kind: 'auto' } | { kind: 'none' }>,
): number[] {
  const n = masks.length;
  const rows = 2 * n;
  const x = new Float64Array(rows * m);
  const t = new Float64Array(rows);
  masks.forEach((z, r) => {
    let size = 0;
    for (let j = 0; j < m; j++) size += z[j]!;
    const w1 = Math.sqrt(kernelWeights[r]! * (m - size));
    const w2 = Math.sqrt(kernelWeights[r]! * size);
    for (let j = 0; j < m; j++) {
      x[r * m + j] = w1 * z[j]!;
      x[(n + r) * m + j] = w2 * (z[j]! - 1);
    }
    t[r] = w1 * y[r]!;
    t[n + r] = w2 * (y[r]! - total);
  });
  if (plan.kind === 'count') {
    if (plan.k >= m) return range(m);
    const { entered } = larsPath(x, t, rows, m, { method: 'lar', maxSteps: plan.k });
    return entered.slice(0, plan.k).sort((a, b) => a - b);
  }
  const coef =
    plan.kind === 'alpha'
      ? lassoCoordinateDescent(x, t, rows, m, plan.alpha)
      : informationCriterionFit(x, t, rows, m, plan.criterion);
  const kept = range(m).filter((j) => Math.abs(coef[j]!) > Number.EPSILON);
  // Keep at least the first LARS variable so that f(x) - E[f] is still attributed (efficiency).
  return kept.length > 0 ? kept : larsPath(x, t, rows, m, { method: 'lar', maxSteps: 1 }).entered.slice(0, 1);
}

/**
 * Lasso path by LARS, picking the breakpoint minimising n log(2 pi s2) + RSS/s2 + K df with
 * df = non-zero coefficients, K = 2 (AIC) or log n (BIC), s2 from the full OLS fit (Zou, Hastie &
 * Tibshirani 2007; sklearn LassoLarsIC). Needs n > p.
 */
export function informationCriterionFit(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  criterion: 'aic' | 'bic',
): Float64Array {
  if (n <= p) throw invalidArgument('AIC/BIC selection needs more rows than features');
  const { xtx, xty } = weightedNormalEquations(x, y, n, p);
  const ols = choleskySolve(xtx, xty, p);
  if (!ols) throw invalidArgument('AIC/BIC selection needs a full-rank design');
  const noise = rss(x, y, n, p, ols) / (n - p);
  const factor = criterion === 'aic' ? 2 : Math.log(n);
  const { steps } = larsPath(x, y, n, p, { method: 'lasso' });
  let best = steps[0]!.coef;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const step of steps) {
    let df = 0;
    for (const v of step.coef) if (Math.abs(v) > Number.EPSILON) df++;
    const score = n * Math.log(2 * Math.PI * noise) + rss(x, y, n, p, step.coef) / noise + factor * df;
    if (score < bestScore) {
      bestScore = score;
      best = step.coef;
    }
  }
  return best;
}

/**
 * Minimises (1 / 2n) ||y - X b||^2 + alpha ||b||_1 (no intercept) by cyclic coordinate descent
 * (Friedman, Hastie & Tibshirani 2010), to a maximum coordinate change of 1e-12 relative.
 */
export function lassoCoordinateDescent(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  alpha: number,
): Float64Array {
  const { xtx: g, xty } = weightedNormalEquations(x, y, n, p);
  const b = new Float64Array(p);
  const thresh = n * alpha;
  for (let sweep = 0; sweep < 10_000; sweep++) {
    let maxChange = 0;
    let maxCoef = 0;
    for (let j = 0; j < p; j++) {
      const gjj = g[j * p + j]!;
      if (gjj === 0) continue;
      let rho = xty[j]!;
      for (let k = 0; k < p; k++) if (k !== j) rho -= g[j * p + k]! * b[k]!;
      const next = (Math.sign(rho) * Math.max(Math.abs(rho) - thresh, 0)) / gjj;
      maxChange = Math.max(maxChange, Math.abs(next - b[j]!));
      b[j] = next;
      maxCoef = Math.max(maxCoef, Math.abs(next));
    }
    if (maxChange <= 1e-12 * Math.max(maxCoef, 1e-300)) break;
  }
  return b;
}

function rss(x: Float64Array, y: Float64Array, n: number, p: number, coef: Float64Array): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    let pred = 0;
    for (let j = 0; j < p; j++) pred += x[r * p + j]! * coef[j]!;
    total += (y[r]! - pred) ** 2;
  }
  return total;
}

function range(m: number): number[] {
  return Array.from({ length: m }, (_, j) => j);
}
