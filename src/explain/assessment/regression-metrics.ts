import { invalidArgument } from '../../errors/index.js';
import { assertFiniteVector } from '../common/validate.js';

export interface RegressionMetrics {
  n: number;
  mae: number;
  mse: number;
  rmse: number;
  /** Coefficient of determination (sklearn r2_score; 1 for a perfect fit of constant data, else 0 when SS_tot = 0). */
  r2: number;
  explainedVariance: number;
  maxError: number;
  /** Mean absolute percentage error as a fraction, |y| floored at machine epsilon (sklearn). */
  mape: number;
  medianAbsoluteError: number;
}

/** Standard regression metrics with sklearn.metrics semantics. */
export function regressionMetrics(yTrue: readonly number[], yPred: readonly number[]): RegressionMetrics {
  assertFiniteVector('yTrue', yTrue);
  assertFiniteVector('yPred', yPred, yTrue.length);
  const n = yTrue.length;
  if (n < 1) throw invalidArgument('no samples');
  const err = yTrue.map((t, i) => t - yPred[i]!);
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mse = mean(err.map((e) => e * e));
  const yBar = mean(yTrue);
  const ssTot = yTrue.reduce((a, t) => a + (t - yBar) ** 2, 0);
  const ssRes = err.reduce((a, e) => a + e * e, 0);
  const eBar = mean(err);
  const varErr = mean(err.map((e) => (e - eBar) ** 2));
  const varTrue = ssTot / n;
  const abs = err.map(Math.abs).sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  return {
    n,
    mae: mean(abs),
    mse,
    rmse: Math.sqrt(mse),
    r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot,
    explainedVariance: varTrue === 0 ? (varErr === 0 ? 1 : 0) : 1 - varErr / varTrue,
    maxError: abs[n - 1]!,
    mape: mean(err.map((e, i) => Math.abs(e) / Math.max(Math.abs(yTrue[i]!), Number.EPSILON))),
    medianAbsoluteError: n % 2 ? abs[mid]! : (abs[mid - 1]! + abs[mid]!) / 2,
  };
}
