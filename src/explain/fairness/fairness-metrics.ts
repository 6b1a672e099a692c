import { invalidArgument } from '../../errors/index.js';
import type { Label } from '../assessment/index.js';
import { type GroupRateOptions, type GroupRates, groupRates, type SensitiveFeatures } from './group-rates.js';

/**
 * Fairlearn's caveat, stated with every four-fifths result: the rule is a legal heuristic, not a
 * fairness guarantee.
 */
export const FOUR_FIFTHS_CAVEAT =
  'The four-fifths (80%) rule comes from the US EEOC Uniform Guidelines on Employee Selection ' +
  'Procedures (29 CFR 1607.4(D)) as a rule of thumb for flagging adverse impact in selection decisions. ' +
  "Fairlearn's user guide notes it is often misapplied outside that legal context: passing it does not " +
  'make a model fair, and failing it is not by itself proof of discrimination.';

export type DisparityMethod = 'between_groups' | 'to_overall';

export interface FairnessOptions extends GroupRateOptions {
  /** Fairlearn's method: max - min over groups (default), or worst gap to the overall value. */
  method?: DisparityMethod;
  /** Equalized-odds aggregation of the TPR and FPR disparities (Fairlearn agg; default 'worst_case'). */
  agg?: 'worst_case' | 'mean';
  /** Reference group for disparate impact; default the group with the highest selection rate. */
  referenceGroup?: Label | null;
  /** Disparate-impact ratio below which a group is flagged (default 0.8, the four-fifths rule). */
  threshold?: number;
}

export interface DisparateImpact {
  referenceGroup: Label | null;
  /** Per group: selection rate / reference selection rate (AIF360 convention: unprivileged over privileged). */
  ratios: { group: Label | null; selectionRate: number; ratio: number; flagged: boolean }[];
  minRatio: number;
  threshold: number;
  /** True when some group's ratio is below the threshold. */
  fourFifthsRuleViolated: boolean;
  caveat: string;
}

export interface FairnessReport {
  overall: GroupRates;
  groups: GroupRates[];
  method: DisparityMethod;
  demographicParityDifference: number;
  demographicParityRatio: number;
  truePositiveRateDifference: number;
  falsePositiveRateDifference: number;
  /** Fairlearn equal_opportunity_difference: the TPR disparity. */
  equalOpportunityDifference: number;
  equalOpportunityRatio: number;
  /** Fairlearn equalized_odds_difference: max (or mean) of the TPR and FPR differences. */
  equalizedOddsDifference: number;
  equalizedOddsRatio: number;
  disparateImpact: DisparateImpact;
  /** Which conventions these numbers follow. */
  conventions: string;
}

/** Fairlearn MetricFrame.difference: max - min over groups, or max |group - overall| (NaN-skipping). */
export function disparityDifference(
  groupValues: readonly number[],
  overall: number,
  method: DisparityMethod,
): number {
  const v = groupValues.filter((x) => !Number.isNaN(x));
  if (v.length === 0) return Number.NaN;
  if (method === 'between_groups') return Math.max(...v) - Math.min(...v);
  return Math.max(...v.map((x) => Math.abs(x - overall)));
}

/**
 * Fairlearn MetricFrame.ratio: min / max over groups (0/0 is NaN), or the smallest group/overall
 * ratio folded below 1 (x > 1 becomes 1/x).
 */
export function disparityRatio(
  groupValues: readonly number[],
  overall: number,
  method: DisparityMethod,
): number {
  const v = groupValues.filter((x) => !Number.isNaN(x));
  if (v.length === 0) return Number.NaN;
  if (method === 'between_groups') return Math.min(...v) / Math.max(...v);
  const ratios = v
    .map((x) => x / overall)
    .map((r) => (r > 1 ? 1 / r : r))
    .filter((r) => !Number.isNaN(r));
  return ratios.length ? Math.min(...ratios) : Number.NaN;
}

/**
 * Group fairness metrics with Fairlearn's definitions (unsigned max - min disparities between groups,
 * or to the overall value) plus an AIF360-style disparate-impact table with the four-fifths rule.
 */
export function fairnessReport(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  sensitive: SensitiveFeatures,
  options: FairnessOptions = {},
): FairnessReport {
  const method = options.method ?? 'between_groups';
  if (method !== 'between_groups' && method !== 'to_overall')
    throw invalidArgument(`unknown method '${String(method)}'`);
  const agg = options.agg ?? 'worst_case';
  const { overall, groups } = groupRates(yTrue, yPred, sensitive, options);
  const diff = (key: 'selectionRate' | 'tpr' | 'fpr') =>
    disparityDifference(
      groups.map((g) => g[key]),
      overall[key],
      method,
    );
  const ratio = (key: 'selectionRate' | 'tpr' | 'fpr') =>
    disparityRatio(
      groups.map((g) => g[key]),
      overall[key],
      method,
    );
  const tprDiff = diff('tpr');
  const fprDiff = diff('fpr');
  const tprRatio = ratio('tpr');
  const fprRatio = ratio('fpr');
  return {
    overall,
    groups,
    method,
    demographicParityDifference: diff('selectionRate'),
    demographicParityRatio: ratio('selectionRate'),
    truePositiveRateDifference: tprDiff,
    falsePositiveRateDifference: fprDiff,
    equalOpportunityDifference: tprDiff,
    equalOpportunityRatio: tprRatio,
    equalizedOddsDifference: agg === 'worst_case' ? Math.max(tprDiff, fprDiff) : (tprDiff + fprDiff) / 2,
    equalizedOddsRatio: agg === 'worst_case' ? Math.min(tprRatio, fprRatio) : (tprRatio + fprRatio) / 2,
    disparateImpact: disparateImpact(groups, options),
    conventions:
      'Fairlearn definitions (fairlearn.metrics): unsigned disparities over groups, rates with a zero ' +
      'denominator reported as 0 (see undefinedRates). Disparate impact follows AIF360: selection rate ' +
      'of each group over the reference group.',
  };
}

function disparateImpact(groups: GroupRates[], options: FairnessOptions): DisparateImpact {
  const threshold = options.threshold ?? 0.8;
  let reference: GroupRates | undefined;
  if (options.referenceGroup !== undefined) {
    reference = groups.find((g) => g.group === options.referenceGroup);
    if (!reference) throw invalidArgument(`reference group ${String(options.referenceGroup)} does not occur`);
  } else {
    reference = groups.reduce((a, g) => (g.selectionRate > a.selectionRate ? g : a), groups[0]!);
  }
  const ratios = groups
    .filter((g) => g !== reference)
    .map((g) => {
      const r = g.selectionRate / reference.selectionRate;
      return { group: g.group, selectionRate: g.selectionRate, ratio: r, flagged: r < threshold };
    });
  const finite = ratios.map((r) => r.ratio).filter((r) => !Number.isNaN(r));
  return {
    referenceGroup: reference.group,
    ratios,
    minRatio: finite.length ? Math.min(...finite) : Number.NaN,
    threshold,
    fourFifthsRuleViolated: ratios.some((r) => r.flagged),
    caveat: FOUR_FIFTHS_CAVEAT,
  };
}

type ScalarMetric =
  | 'demographicParityDifference'
  | 'demographicParityRatio'
  | 'equalOpportunityDifference'
  | 'equalizedOddsDifference';

/** One number of the fairness report, as Fairlearn's function of the same name returns it. */
const reportMetric =
  (metric: ScalarMetric) =>
  (
    yTrue: readonly Label[],
    yPred: readonly Label[],
    sensitive: SensitiveFeatures,
    options: FairnessOptions = {},
  ): number =>
    fairnessReport(yTrue, yPred, sensitive, options)[metric];

/** Fairlearn demographic_parity_difference. */
export const demographicParityDifference = reportMetric('demographicParityDifference');
/** Fairlearn demographic_parity_ratio. */
export const demographicParityRatio = reportMetric('demographicParityRatio');
/** Fairlearn equal_opportunity_difference (TPR disparity). */
export const equalOpportunityDifference = reportMetric('equalOpportunityDifference');
/** Fairlearn equalized_odds_difference (worst of the TPR and FPR disparities by default). */
export const equalizedOddsDifference = reportMetric('equalizedOddsDifference');
