import { invalidArgument } from '../../errors/index.js';
import { type Cell, compareLabels, isMissing, type Label } from './labels.js';

export interface ClassBalance {
  /** Classes in numpy.unique order with counts and proportions. */
  classes: { label: Label; count: number; proportion: number }[];
  total: number;
  missing: number;
  majority: Label;
  minority: Label;
  /** Majority count / minority count (1 = balanced). */
  imbalanceRatio: number;
  /** Shannon entropy of the class proportions, in nats. */
  entropy: number;
  /** Entropy / ln(K) (Pielou's evenness): 1 = balanced, towards 0 = one class dominates; NaN for K = 1. */
  balance: number;
}

/** Class counts, ratios and balance indices of a label column (missing values counted apart). */
export function classBalance(labels: readonly Cell[]): ClassBalance {
  const counts = new Map<Label, number>();
  let missing = 0;
  for (const v of labels) {
    if (isMissing(v)) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const total = labels.length - missing;
  if (total === 0) throw invalidArgument('label column has no values');
  const classes = [...counts.entries()]
    .sort((a, b) => compareLabels(a[0], b[0]))
    .map(([label, count]) => ({ label, count, proportion: count / total }));
  let majority = classes[0]!;
  let minority = classes[0]!;
  for (const c of classes) {
    if (c.count > majority.count) majority = c;
    if (c.count < minority.count) minority = c;
  }
  const entropy = -classes.reduce((a, c) => a + c.proportion * Math.log(c.proportion), 0);
  return {
    classes,
    total,
    missing,
    majority: majority.label,
    minority: minority.label,
    imbalanceRatio: majority.count / minority.count,
    entropy,
    balance: classes.length > 1 ? entropy / Math.log(classes.length) : Number.NaN,
  };
}
