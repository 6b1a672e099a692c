/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares) with a backtracking line search on the penalised log-likelihood
 *   L(w, b) = Σ_i [log(1 + e^{t_i}) − y_i t_i] + λ/2 ‖w‖²,  t_i = w·x_i + b.
 * The intercept is not penalised (as scikit-learn's LogisticRegression with C = 1/λ).
 */
import { invalidArgument } from '../../errors/index.js';

export interface LogisticModel {
  weights: number[];
  intercept: number;
}

export interface LogisticOptions {
  /** Penalty λ in λ/2 ‖w‖² (default 1). */
  l2?: number;
  maxIter?: number;
  /** Stop when the largest Newton step is below this (default 1e-10). */
  tolerance?: number;
}

const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/** log(1 + e^t) without overflow. */
const softplus = (t: number): number => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));

/** Solves A s = g for symmetric positive definite A (row-major, size n) by Cholesky. */
function choleskySolve(a: Float64Array, g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new Error('logistic regression: Hessian is not positive definite');
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / (l[j * n + j] as number);
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = g[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (z[k] as number);
    z[i] = s / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

/** Fits P(y = 1 | x) = σ(w·x + b) to 0/1 labels. */
export function fitLogisticRegression(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: LogisticOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIter = options.maxIter ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  if (x.length === 0 || x.length !== y.length)
    throw invalidArgument('logistic regression needs as many labels as rows');
  if (!(l2 > 0)) throw invalidArgument('l2 must be positive');
  const d = (x[0] as readonly number[]).length;
  const p1 = d + 1; // parameters: weights, then the intercept
  const rows = x.map((r) => Float64Array.from([...r, 1]));
  let theta = new Float64Array(p1);
  const linear = (th: Float64Array, row: Float64Array): number => {
    let t = 0;
    for (let k = 0; k < p1; k++) t += (th[k] as number) * (row[k] as number);
    return t;
  };
  const loss = (th: Float64Array): number => {
    let s = 0;
    rows.forEach((row, i) => {
      const t = linear(th, row);
      s += softplus(t) - (y[i] as number) * t;
    });
    for (let k = 0; k < d; k++) s += (l2 / 2) * (th[k] as number) ** 2;
    return s;
  };
  let current = loss(theta);
  for (let iter = 0; iter < maxIter; iter++) {
    const grad = new Float64Array(p1);
    const hess = new Float64Array(p1 * p1);
    rows.forEach((row, i) => {
      const p = sigmoid(linear(theta, row));
      const r = p - (y[i] as number);
      const s = p * (1 - p);
      for (let a = 0; a < p1; a++) {
        const xa = row[a] as number;
        grad[a] = (grad[a] as number) + r * xa;
        const sa = s * xa;
        for (let c = 0; c <= a; c++)
          hess[a * p1 + c] = (hess[a * p1 + c] as number) + sa * (row[c] as number);
      }
    });
    for (let a = 0; a < d; a++) {
      grad[a] = (grad[a] as number) + l2 * (theta[a] as number);
      hess[a * p1 + a] = (hess[a * p1 + a] as number) + l2;
    }
    // A tiny ridge on the intercept keeps the system solvable if every p(1 − p) underflows.
    hess[d * p1 + d] = (hess[d * p1 + d] as number) + 1e-10;
    for (let a = 0; a < p1; a++)
      for (let c = a + 1; c < p1; c++) hess[a * p1 + c] = hess[c * p1 + a] as number;
    const step = choleskySolve(hess, grad, p1);
    let t = 1;
    let accepted = false;
    for (let halving = 0; halving < 30 && !accepted; halving++) {
      const next = theta.map((v, k) => v - t * (step[k] as number));
      const nextLoss = loss(next);
      if (nextLoss <= current + 1e-12 * Math.abs(current)) {
        [theta, current, accepted] = [next, nextLoss, true];
      } else t /= 2;
    }
    let largest = 0;
    for (const s of step) largest = Math.max(largest, Math.abs(s * t));
    if (!accepted || largest < tolerance) break;
  }
  return { weights: Array.from(theta.subarray(0, d)), intercept: theta[d] as number };
}

/** P(y = 1 | x) for each row. */
export function predictLogistic(model: LogisticModel, x: readonly (readonly number[])[]): number[] {
  return x.map((row) => {
    let t = model.intercept;
    for (let k = 0; k < row.length; k++) t += (model.weights[k] as number) * (row[k] as number);
    return sigmoid(t);
  });
}
