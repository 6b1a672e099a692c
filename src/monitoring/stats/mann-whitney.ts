/**
 * ROC AUC and its Mann–Whitney test: AUC = U/(n₁n₀) where U counts the (positive, negative)
 * pairs ordered correctly, ties counting ½ (Hanley & McNeil 1982). Under H0 (scores independent
 * of the label) U is approximately normal with mean n₁n₀/2 and variance
 * n₁n₀/12 · ((N+1) − Σ(t³ − t)/(N(N−1))) (tie-corrected).
 */
import { invalidArgument } from '../../errors/index.js';
import { averageRanks } from './sorting.js';
import { normalSf } from './special.js';

export interface AucTestResult {
  auc: number;
  /** Mann–Whitney U of the positives, its number of (positive, negative) pairs and null variance. */
  u: number;
  pairs: number;
  variance: number;
  /** One-sided p-value for AUC > 0.5 (normal approximation with tie correction, no continuity correction). */
  pValue: number;
  z: number;
}

/** AUC of `scores` for binary `labels` (1 = positive) with a one-sided Mann–Whitney p-value. */
export function aucTest(scores: readonly number[], labels: readonly number[]): AucTestResult {
  if (scores.length !== labels.length) throw invalidArgument('scores and labels differ in length');
  const ranks = averageRanks(scores);
  let n1 = 0;
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      n1++;
      rankSum += ranks[i] as number;
    } else if (labels[i] !== 0) throw invalidArgument('labels must be 0 or 1');
  }
  const n0 = labels.length - n1;
  if (n1 === 0 || n0 === 0) throw invalidArgument('AUC needs both classes');
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const auc = u / (n1 * n0);
  const N = n1 + n0;
  // Tie correction from the sizes of groups of equal scores.
  const counts = new Map<number, number>();
  for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
  let tieSum = 0;
  for (const t of counts.values()) tieSum += t * t * t - t;
  const variance = ((n1 * n0) / 12) * (N + 1 - tieSum / (N * (N - 1)));
  const pairs = n1 * n0;
  if (!(variance > 0)) return { auc, u, pairs, variance: 0, pValue: 1, z: 0 };
  const z = (u - pairs / 2) / Math.sqrt(variance);
  return { auc, u, pairs, variance, pValue: normalSf(z), z };
}
