import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';
import { logisticRegressionToOnnx, type OnnxExportOptions } from '../onnx/index.js';
import { argmax, encodeLabels, type FeatureRows, positiveInt, positiveNumber, toDesign } from './data.js';
import type { ClassificationModel } from './model-types.js';

/** Options for {@link trainLogisticRegression}. */
export interface LogisticRegressionOptions {
  /** Inverse L2 strength as in sklearn: minimise C·Σ loss + ½‖w‖² (intercepts unpenalised). Default 1. */
  c?: number;
  fitIntercept?: boolean;
  /** Newton iterations (default 100). */
  maxIter?: number;
  /** Stop when max |∂objective/∂θ| / N falls below this (default 1e-10). */
  tol?: number;
}

/**
 * Logistic regression. Binary: one coefficient row (logit of the second class). Three or more classes:
 * multinomial (softmax) with one row per class and intercepts centred to sum to zero (the loss is
 * unchanged by adding a constant to every intercept, so this picks one representative).
 */
export interface LogisticRegressionModel extends ClassificationModel {
  readonly kind: 'logistic_regression';
  /** [K][F] with K = 1 for binary, K = C otherwise. */
  readonly coefficients: readonly (readonly number[])[];
  readonly intercepts: readonly number[];
  readonly iterations: number;
  readonly converged: boolean;
}

interface Problem {
  x: Float64Array; // n × d, with a trailing 1 when fitting an intercept
  n: number;
  d: number;
  f: number;
  k: number; // 1 = binary
  y: Int32Array;
  lambda: number; // 1 / C
}

// Objective and (optionally) gradient, probabilities written to p (n × max(k, 1)).
function evaluate(pr: Problem, theta: Float64Array, p: Float64Array, grad?: Float64Array): number {
  const { x, n, d, f, k, y } = pr;
  let loss = 0;
  const z = new Float64Array(k);
  grad?.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += theta[c * d + j]! * x[row + j]!;
      z[c] = s;
    }
    if (k === 1) {
      const zi = z[0]!;
      // softplus(z) − y·z, computed stably for large |z|.
      loss += (zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi))) - (y[i] === 1 ? zi : 0);
      const pi = 1 / (1 + Math.exp(-zi));
      p[i] = pi;
      if (grad) for (let j = 0; j < d; j++) grad[j]! += (pi - y[i]!) * x[row + j]!;
    } else {
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) max = Math.max(max, z[c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[c]! - max);
      loss += max + Math.log(sum) - z[y[i]!]!;
      for (let c = 0; c < k; c++) {
        const pc = Math.exp(z[c]! - max) / sum;
        p[i * k + c] = pc;
        if (grad) {
          const r = pc - (y[i] === c ? 1 : 0);
          for (let j = 0; j < d; j++) grad[c * d + j]! += r * x[row + j]!;
        }
      }
    }
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < f; j++) {
      const w = theta[c * d + j]!;
      loss += 0.5 * pr.lambda * w * w;
      if (grad) grad[c * d + j]! += pr.lambda * w;
    }
  }
  return loss;
}

// Hessian of the objective: Σ_i (diag(p_i) − p_i p_iᵀ) ⊗ x_i x_iᵀ (binary: p(1−p) x xᵀ) + λ on weights.
function hessian(pr: Problem, p: Float64Array): Matrix {
  const { x, n, d, f, k } = pr;
  const m = k * d;
  const h = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let a = 0; a < k; a++) {
      const pa = k === 1 ? p[i]! : p[i * k + a]!;
      for (let b = a; b < k; b++) {
        const w = k === 1 ? pa * (1 - pa) : pa * ((a === b ? 1 : 0) - p[i * k + b]!);
        if (w === 0) continue;
        for (let j = 0; j < d; j++) {
          const wx = w * x[row + j]!;
          const base = (a * d + j) * m + b * d;
          for (let l = 0; l < d; l++) h[base + l]! += wx * x[row + l]!;
        }
      }
    }
  }
  const out = new Matrix(m, m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      // Only blocks (class a <= class b) were accumulated, which covers every entry with a <= b.
      out.set(a, b, h[a * m + b]!);
      out.set(b, a, h[a * m + b]!);
    }
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const idx = c * d + j;
      // λ on weights; a 1e-10·N damping on intercepts keeps the multinomial Hessian invertible
      // (its intercept block is singular along (1, …, 1)) without moving the optimum.
      out.set(idx, idx, out.get(idx, idx) + (j < f ? pr.lambda : 1e-10 * n));
    }
  }
  return out;
}

function newtonDirection(h: Matrix, g: Float64Array): Float64Array {
  const rhs = Matrix.columnVector(Array.from(g));
  const chol = new CholeskyDecomposition(h);
  const sol = chol.isPositiveDefinite() ? chol.solve(rhs) : solve(h, rhs, true);
  return Float64Array.from(sol.getColumn(0));
}

/**
 * Trains L2-regularised logistic regression by Newton's method with Armijo backtracking
 * (Nocedal & Wright, Numerical Optimization, §3.1 and §3.3): the exact Hessian is tiny at
 * K·(F+1) parameters, and Newton converges to the optimum sklearn's lbfgs approaches.
 */
export function trainLogisticRegression(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: LogisticRegressionOptions = {},
): LogisticRegressionModel {
  const design = toDesign(X);
  const { classes, index } = encodeLabels(y, design.n);
  const fitIntercept = options.fitIntercept ?? true;
  const lambda = 1 / positiveNumber('c', options.c, 1);
  const maxIter = positiveInt('maxIter', options.maxIter, 100);
  const tol = positiveNumber('tol', options.tol, 1e-10);
  const { n, f } = design;
  const d = fitIntercept ? f + 1 : f;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    x.set(design.data.subarray(i * f, i * f + f), i * d);
    if (fitIntercept) x[i * d + f] = 1;
  }
  const k = classes.length === 2 ? 1 : classes.length;
  const pr: Problem = { x, n, d, f, k, y: index, lambda };
  let theta = new Float64Array(k * d);
  const p = new Float64Array(n * k);
  const grad = new Float64Array(k * d);
  let obj = evaluate(pr, theta, p, grad);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    if (Math.max(...grad.map(Math.abs)) / n < tol) {
      converged = true;
      break;
    }
    iterations++;
    const dir = newtonDirection(hessian(pr, p), grad);
    const slope = dir.reduce((s, v, i) => s + v * grad[i]!, 0);
    let step = 1;
    let candidate = theta;
    let candObj = obj;
    for (let halvings = 0; halvings < 60; halvings++, step /= 2) {
      candidate = theta.map((t, i) => t - step * dir[i]!);
      candObj = evaluate(pr, candidate, p);
      if (candObj <= obj - 1e-4 * step * slope) break;
    }
    if (!(candObj < obj)) {
      // No decrease possible at double precision: we are at the optimum.
      converged = true;
      evaluate(pr, theta, p, grad);
      break;
    }
    theta = candidate;
    obj = evaluate(pr, theta, p, grad);
  }
  const coefficients = Array.from({ length: k }, (_, c) => Array.from(theta.subarray(c * d, c * d + f)));
  let intercepts = Array.from({ length: k }, (_, c) => (fitIntercept ? theta[c * d + f]! : 0));
  if (k > 1) {
    const mean = intercepts.reduce((s, v) => s + v, 0) / k;
    intercepts = intercepts.map((v) => v - mean);
  }
  return createLogisticRegressionModel(coefficients, intercepts, classes, { iterations, converged });
}

/** Wraps known coefficients ([K][F], K = 1 for binary) as a classifier with ONNX export. */
export function createLogisticRegressionModel(
  coefficients: readonly (readonly number[])[],
  intercepts: readonly number[],
  classes: readonly number[],
  fit: { iterations: number; converged: boolean } = { iterations: 0, converged: true },
): LogisticRegressionModel {
  const nFeatures = coefficients[0]?.length ?? 0;
  const k = coefficients.length;
  const proba = (rows: FeatureRows): number[][] => {
    const { data, n } = toDesign(rows, nFeatures);
    return Array.from({ length: n }, (_, i) => {
      const z = coefficients.map((w, c) =>
        w.reduce((s, v, j) => s + v * data[i * nFeatures + j]!, intercepts[c]!),
      );
      if (k === 1) {
        const p1 = 1 / (1 + Math.exp(-z[0]!));
        return [1 - p1, p1];
      }
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
  };
  return {
    kind: 'logistic_regression',
    nFeatures,
    classes: [...classes],
    coefficients: coefficients.map((r) => [...r]),
    intercepts: [...intercepts],
    iterations: fit.iterations,
    converged: fit.converged,
    predictProba: proba,
    predict: (rows) => proba(rows).map((p) => classes[argmax(p)]!),
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      logisticRegressionToOnnx({ coefficients, intercepts, classLabels: classes }, exportOptions),
  };
}
