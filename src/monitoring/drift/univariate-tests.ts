/**
 * The per-feature drift tests, each a small adapter from two column samples to a statistic
 * (and p-value). Categorical tests work on the union of categories seen on either side, so a
 * category missing from the reference (or the current data) is an ordinary zero count, never
 * an error or NaN (the failure mode of EV #96 / AD #191, #224).
 */
import { invalidArgument } from '../../errors/index.js';
import {
  binCounts,
  binShares,
  chi2Contingency,
  cramerVonMises2Samp,
  fisherExact,
  jensenShannonDistance,
  ks2SampSorted,
  normalizedWasserstein,
  populationStabilityIndex,
  twoProportionZTest,
} from '../stats/index.js';
import type { TestKind } from '../types.js';
import { type ColumnSample, numbersOf } from './column-sample.js';
import { type Category, sortCategories } from './columns.js';

/** Names of the per-feature drift tests. */
export const TEST_NAMES = [
  'ks',
  'cvm',
  'chi2',
  'fisher',
  'z',
  'psi',
  'wasserstein',
  'jensen-shannon',
] as const;
export type TestName = (typeof TEST_NAMES)[number];

/** Settings shared by the histogram tests. */
export interface HistogramSettings {
  /** PSI bins on numerical columns: k reference-quantile bins (default 10). */
  psiBins: number;
  /** Logarithm base of the Jensen–Shannon distance: 'e' (Evidently, scipy default) or 2. */
  jsBase: 'e' | 2;
}

export interface TestOutcome {
  distance: number;
  pValue?: number;
  details?: Record<string, unknown>;
}

export interface UnivariateTest {
  name: TestName;
  kind: TestKind;
  /** Evidently's default threshold for distances; 0.05 for every p-value test. */
  defaultThreshold: number;
  numericalOnly: boolean;
  run(reference: ColumnSample, current: ColumnSample, settings: HistogramSettings): TestOutcome;
}

/** Counts of both samples over the union of their categories, in a stable order. */
function alignedCounts(
  reference: ColumnSample,
  current: ColumnSample,
): { categories: Category[]; ref: number[]; cur: number[] } {
  const categories = sortCategories(new Set([...reference.counts.keys(), ...current.counts.keys()]));
  return {
    categories,
    ref: categories.map((c) => reference.counts.get(c) ?? 0),
    cur: categories.map((c) => current.counts.get(c) ?? 0),
  };
}

/** Histogram shares of both samples: per category, or binned for numerical data. */
function histogram(
  reference: ColumnSample,
  current: ColumnSample,
  mode: 'psi' | 'js',
  settings: HistogramSettings,
): { ref: number[]; cur: number[]; binning: Record<string, unknown> } {
  // Evidently bins numerical columns only when the reference has more than 20 distinct values;
  // PSI here always uses reference quantiles for numerical data (documented choice).
  const numeric = reference.type === 'numerical' && (mode === 'psi' || reference.counts.size > 20);
  if (numeric) {
    const binning =
      mode === 'psi'
        ? { kind: 'reference-quantile' as const, bins: settings.psiBins }
        : { kind: 'sturges' as const };
    const counts = binCounts(numbersOf(reference), numbersOf(current), binning);
    return { ref: counts.reference, cur: counts.current, binning: { ...binning, edges: counts.edges } };
  }
  const aligned = alignedCounts(reference, current);
  return {
    ref: aligned.ref,
    cur: aligned.cur,
    binning: { kind: 'categories', categories: aligned.categories },
  };
}

const ks: UnivariateTest = {
  name: 'ks',
  kind: 'p-value',
  defaultThreshold: 0.05,
  numericalOnly: true,
  run(reference, current) {
    const r = ks2SampSorted(reference.sorted, current.sorted);
    return { distance: r.statistic, pValue: r.pValue, details: { method: r.method } };
  },
};

const cvm: UnivariateTest = {
  name: 'cvm',
  kind: 'p-value',
  defaultThreshold: 0.05,
  numericalOnly: true,
  run(reference, current) {
    const r = cramerVonMises2Samp(numbersOf(reference), numbersOf(current));
    return { distance: r.statistic, pValue: r.pValue, details: { method: r.method } };
  },
};

const chi2: UnivariateTest = {
  name: 'chi2',
  kind: 'p-value',
  defaultThreshold: 0.05,
  numericalOnly: false,
  run(reference, current) {
    // 2×K homogeneity table over the union of categories (Alibi's ChiSquareDrift); every column
    // has a non-zero total by construction, so expected counts are never zero.
    const { categories, ref, cur } = alignedCounts(reference, current);
    const r = chi2Contingency([ref, cur]);
    return { distance: r.statistic, pValue: r.pValue, details: { dof: r.dof, categories } };
  },
};

const fisher: UnivariateTest = {
  name: 'fisher',
  kind: 'p-value',
  defaultThreshold: 0.05,
  numericalOnly: false,
  run(reference, current) {
    const { categories, ref, cur } = alignedCounts(reference, current);
    if (categories.length > 2)
      throw invalidArgument(`fisher needs a binary feature, found ${categories.length} values`);
    if (categories.length < 2) return { distance: 1, pValue: 1, details: { categories } };
    const r = fisherExact([
      [ref[0] as number, ref[1] as number],
      [cur[0] as number, cur[1] as number],
    ]);
    return { distance: r.oddsRatio, pValue: r.pValue, details: { statistic: 'odds ratio', categories } };
  },
};

const z: UnivariateTest = {
  name: 'z',
  kind: 'p-value',
  defaultThreshold: 0.05,
  numericalOnly: false,
  run(reference, current) {
    // Evidently's z test: share equal to the first category (in sorted order) on each side.
    const { categories, ref, cur } = alignedCounts(reference, current);
    if (categories.length > 2)
      throw invalidArgument(`z needs a binary feature, found ${categories.length} values`);
    const r = twoProportionZTest(ref[0] as number, reference.size, cur[0] as number, current.size);
    return { distance: r.statistic, pValue: r.pValue, details: { category: categories[0] } };
  },
};

const psi: UnivariateTest = {
  name: 'psi',
  kind: 'distance',
  defaultThreshold: 0.1,
  numericalOnly: false,
  run(reference, current, settings) {
    const h = histogram(reference, current, 'psi', settings);
    return {
      distance: populationStabilityIndex(binShares(h.ref), binShares(h.cur)),
      details: { binning: h.binning },
    };
  },
};

const wasserstein: UnivariateTest = {
  name: 'wasserstein',
  kind: 'distance',
  defaultThreshold: 0.1,
  numericalOnly: true,
  run(reference, current) {
    return {
      distance: normalizedWasserstein(numbersOf(reference), numbersOf(current)),
      details: { normalisedBy: 'reference std' },
    };
  },
};

const jensenShannon: UnivariateTest = {
  name: 'jensen-shannon',
  kind: 'distance',
  defaultThreshold: 0.1,
  numericalOnly: false,
  run(reference, current, settings) {
    const h = histogram(reference, current, 'js', settings);
    const base = settings.jsBase === 2 ? 2 : undefined;
    return {
      distance: jensenShannonDistance(h.ref, h.cur, base),
      details: { binning: h.binning, base: settings.jsBase },
    };
  },
};

const TESTS: Readonly<Record<TestName, UnivariateTest>> = {
  ks,
  cvm,
  chi2,
  fisher,
  z,
  psi,
  wasserstein,
  'jensen-shannon': jensenShannon,
};

/** Looks up a test by name; INVALID_ARGUMENT for unknown names. */
export function getTest(name: string): UnivariateTest {
  const test = (TESTS as Record<string, UnivariateTest | undefined>)[name];
  if (!test) throw invalidArgument(`unknown drift test "${name}" (known: ${TEST_NAMES.join(', ')})`);
  return test;
}
