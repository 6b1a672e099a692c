import { invalidArgument } from '../../errors/index.js';
import { type Cell, compareLabels, isMissing, type Label } from '../assessment/index.js';
import { assertFiniteVector } from '../common/validate.js';

/** One sensitive column, or several (groups are then their observed intersections). */
export type SensitiveFeatures = readonly Cell[] | Readonly<Record<string, readonly Cell[]>>;

export type RateName =
  | 'selectionRate'
  | 'tpr'
  | 'fpr'
  | 'tnr'
  | 'fnr'
  | 'precision'
  | 'accuracy'
  | 'baseRate';

/** Confusion counts and rates of one group (weighted when sample weights are given). */
export interface GroupRates {
  /** The group's value; for several sensitive columns a 'col=value, col=value' key. */
  group: Label | null;
  /** Values per sensitive column (one entry for a single unnamed column, keyed 'group'). */
  values: Record<string, Label | null>;
  count: number;
  weight: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** P(yhat = pos): Fairlearn selection_rate. */
  selectionRate: number;
  /** P(yhat = pos | y = pos). */
  tpr: number;
  /** P(yhat = pos | y = neg). */
  fpr: number;
  tnr: number;
  fnr: number;
  precision: number;
  accuracy: number;
  /** P(y = pos). */
  baseRate: number;
  /**
   * Rates whose denominator is 0 in this group (e.g. tpr without actual positives). They are reported
   * as 0, as Fairlearn does through sklearn's confusion_matrix(normalize='true'), so read them with care.
   */
  undefinedRates: RateName[];
}

export interface GroupRateOptions {
  /** The favourable label (default 1, or true for boolean labels). */
  posLabel?: Label;
  sampleWeight?: number[];
}

/** Rates overall and per group; missing sensitive values form their own group (null). */
export function groupRates(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  sensitive: SensitiveFeatures,
  options: GroupRateOptions = {},
): { overall: GroupRates; groups: GroupRates[] } {
  const n = yTrue.length;
  if (n === 0) throw invalidArgument('no samples');
  if (yPred.length !== n) throw invalidArgument(`yPred has ${yPred.length} entries, yTrue has ${n}`);
  const columns: Record<string, readonly Cell[]> = Array.isArray(sensitive)
    ? { group: sensitive as readonly Cell[] }
    : (sensitive as Record<string, readonly Cell[]>);
  const names = Object.keys(columns);
  if (names.length === 0) throw invalidArgument('no sensitive feature given');
  for (const name of names) {
    if (columns[name]!.length !== n)
      throw invalidArgument(`sensitive feature '${name}' has a different length`);
  }
  if (options.sampleWeight) assertFiniteVector('sampleWeight', options.sampleWeight, n);
  const pos = options.posLabel ?? (yTrue.includes(true) || yPred.includes(true) ? true : 1);

  const members = new Map<string, { values: Record<string, Label | null>; rows: number[] }>();
  for (let i = 0; i < n; i++) {
    const values: Record<string, Label | null> = {};
    for (const name of names) {
      const v = columns[name]![i];
      values[name] = isMissing(v) ? null : v;
    }
    const key = JSON.stringify(names.map((nm) => values[nm]));
    const g = members.get(key);
    if (g) g.rows.push(i);
    else members.set(key, { values, rows: [i] });
  }
  const rates = (rows: number[], values: Record<string, Label | null>): GroupRates => {
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    for (const i of rows) {
      const w = options.sampleWeight ? options.sampleWeight[i]! : 1;
      const t = yTrue[i] === pos;
      const p = yPred[i] === pos;
      if (t && p) tp += w;
      else if (!t && p) fp += w;
      else if (t) fn += w;
      else tn += w;
    }
    const undefinedRates: RateName[] = [];
    const rate = (num: number, den: number, names: RateName[]) => {
      if (den !== 0) return num / den;
      undefinedRates.push(...names);
      return 0;
    };
    const weight = tp + fp + tn + fn;
    const group =
      names.length === 1 ? values[names[0]!]! : names.map((nm) => `${nm}=${String(values[nm])}`).join(', ');
    return {
      group,
      values,
      count: rows.length,
      weight,
      tp,
      fp,
      tn,
      fn,
      selectionRate: rate(tp + fp, weight, ['selectionRate']),
      tpr: rate(tp, tp + fn, ['tpr']),
      fnr: rate(fn, tp + fn, ['fnr']),
      fpr: rate(fp, fp + tn, ['fpr']),
      tnr: rate(tn, fp + tn, ['tnr']),
      precision: rate(tp, tp + fp, ['precision']),
      accuracy: rate(tp + tn, weight, ['accuracy']),
      baseRate: rate(tp + fn, weight, ['baseRate']),
      undefinedRates,
    };
  };
  const groups = [...members.values()].map((g) => rates(g.rows, g.values));
  groups.sort((a, b) => {
    for (const nm of names) {
      const x = a.values[nm]!;
      const y = b.values[nm]!;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return compareLabels(x, y);
    }
    return 0;
  });
  const overallValues = Object.fromEntries(names.map((nm) => [nm, null]));
  return {
    overall: {
      ...rates(
        yTrue.map((_, i) => i),
        overallValues,
      ),
      group: null,
    },
    groups,
  };
}
