/** Regression errors (sklearn.metrics.mean_squared_error / mean_absolute_error). */
import { checkFinite, checkPaired } from './validate.js';

/** Root mean squared error. */
export function rmse(yTrue: readonly number[], yPred: readonly number[]): number {
  checkPaired(yTrue, yPred, 'rmse');
  checkFinite(yTrue, 'rmse truth');
  checkFinite(yPred, 'rmse predictions');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/** Mean absolute error. */
export function mae(yTrue: readonly number[], yPred: readonly number[]): number {
  checkPaired(yTrue, yPred, 'mae');
  checkFinite(yTrue, 'mae truth');
  checkFinite(yPred, 'mae predictions');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return s / yTrue.length;
}
