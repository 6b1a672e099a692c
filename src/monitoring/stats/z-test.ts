/**
 * Two-proportion z-test (pooled variance), as Evidently's `z` stat test: the share of
 * reference vs current values equal to a chosen category, two-sided normal p-value.
 */
import { normalSf } from './special.js';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * z = (p1 − p2)/√(P(1−P)(1/n1 + 1/n2)) with P the pooled share; two-sided p = 2·P(Z > |z|).
 * When both samples are constant and equal (P(1−P) = 0) there is no evidence of change: z = 0, p = 1.
 */
export function twoProportionZTest(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
): ZTestResult {
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const pooled = (successes1 + successes2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(variance);
  // erfc-based tail instead of 1 − cdf, so tiny p-values keep their digits.
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
