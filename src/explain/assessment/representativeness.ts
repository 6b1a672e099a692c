import { invalidArgument } from '../../errors/index.js';
import { chiSquareSf } from '../common/special.js';
import { quantileLinear, sortedCopy } from '../common/stats.js';
import { type Cell, isMissing, type Label } from './labels.js';

export interface CategoryShare {
  category: Label;
  observedCount: number;
  observedProportion: number;
  referenceProportion: number;
  /** observed / reference proportion: below 1 = under-represented. */
  representationRatio: number;
}

export interface CategoricalRepresentation {
  kind: 'categorical';
  n: number;
  categories: CategoryShare[];
  /** Total variation distance: half the L1 distance between the two distributions (0..1). */
  totalVariation: number;
  /** Pearson chi-squared goodness of fit over the reference categories (scipy.stats.chisquare). */
  chiSquare: { statistic: number; dof: number; pValue: number };
  /** Observed categories absent from the reference (left out of the chi-squared test). */
  unexpected: Label[];
}

export interface NumericRepresentation {
  kind: 'numeric';
  n: number;
  /** Two-sample Kolmogorov-Smirnov distance sup |F_data - F_reference|. */
  ksDistance: number;
  /** Total variation over bins at the reference sample's quantiles. */
  totalVariation: number;
  bins: { lower: number; upper: number; observedProportion: number; referenceProportion: number }[];
}

/**
 * How well a categorical column matches reference population shares (counts or proportions, e.g.
 * census figures): per-category shares and ratios, total variation distance and a chi-squared
 * goodness-of-fit test with expected counts n * p_ref over the reference categories.
 */
export function compareToReferenceShares(
  values: readonly Cell[],
  reference: ReadonlyMap<Label, number> | Record<string, number>,
): CategoricalRepresentation {
  const ref =
    reference instanceof Map ? new Map(reference) : new Map<Label, number>(Object.entries(reference));
  let refTotal = 0;
  for (const [k, v] of ref) {
    if (!(v >= 0) || !Number.isFinite(v))
      throw invalidArgument(`reference share for '${String(k)}' must be >= 0`);
    refTotal += v;
  }
  if (refTotal <= 0) throw invalidArgument('reference shares must not all be zero');
  const counts = new Map<Label, number>();
  let n = 0;
  for (const v of values) {
    if (isMissing(v)) continue;
    // Reference keys from a plain object are strings; match numbers and booleans by their text.
    const key = ref.has(v) ? v : ref.has(String(v)) ? String(v) : v;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    n++;
  }
  if (n === 0) throw invalidArgument('column has no values');
  const categories: CategoryShare[] = [...ref.entries()].map(([category, share]) => {
    const observedCount = counts.get(category) ?? 0;
    const referenceProportion = share / refTotal;
    return {
      category,
      observedCount,
      observedProportion: observedCount / n,
      referenceProportion,
      representationRatio: referenceProportion > 0 ? observedCount / n / referenceProportion : Number.NaN,
    };
  });
  const unexpected = [...counts.keys()].filter((k) => !ref.has(k));
  let tv = 0;
  for (const c of categories) tv += Math.abs(c.observedProportion - c.referenceProportion);
  for (const k of unexpected) tv += counts.get(k)! / n;
  const inRef = categories.reduce((a, c) => a + c.observedCount, 0);
  let stat = 0;
  let cells = 0;
  for (const c of categories) {
    const expected = inRef * c.referenceProportion;
    if (expected > 0) {
      stat += (c.observedCount - expected) ** 2 / expected;
      cells++;
    }
  }
  const dof = cells - 1;
  return {
    kind: 'categorical',
    n,
    categories,
    totalVariation: tv / 2,
    chiSquare: { statistic: stat, dof, pValue: dof > 0 ? chiSquareSf(stat, dof) : Number.NaN },
    unexpected,
  };
}

/**
 * How well a numeric column matches a reference sample: the KS distance and the total variation over
 * `bins` bins cut at the reference's quantiles (each bin holds ~1/bins of the reference).
 */
export function compareToReferenceSample(
  values: readonly Cell[],
  reference: readonly number[],
  bins = 10,
): NumericRepresentation {
  const data = sortedCopy(values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)));
  const ref = sortedCopy(reference.filter((v) => !Number.isNaN(v)));
  if (data.length === 0 || ref.length === 0) throw invalidArgument('both samples need numeric values');
  let d = 0;
  let i = 0;
  let j = 0;
  while (i < data.length && j < ref.length) {
    const x = Math.min(data[i]!, ref[j]!);
    while (i < data.length && data[i]! <= x) i++;
    while (j < ref.length && ref[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / data.length - j / ref.length));
  }
  const edges = [...new Set(Array.from({ length: bins - 1 }, (_, b) => quantileLinear(ref, (b + 1) / bins)))];
  const share = (xs: number[]) => {
    const out = new Array<number>(edges.length + 1).fill(0);
    for (const x of xs) {
      let b = 0;
      while (b < edges.length && x > edges[b]!) b++;
      out[b]!++;
    }
    return out.map((c) => c / xs.length);
  };
  const po = share(data);
  const pr = share(ref);
  return {
    kind: 'numeric',
    n: data.length,
    ksDistance: d,
    totalVariation: po.reduce((a, p, b) => a + Math.abs(p - pr[b]!), 0) / 2,
    bins: po.map((p, b) => ({
      lower: b === 0 ? Number.NEGATIVE_INFINITY : edges[b - 1]!,
      upper: b === edges.length ? Number.POSITIVE_INFINITY : edges[b]!,
      observedProportion: p,
      referenceProportion: pr[b]!,
    })),
  };
}
