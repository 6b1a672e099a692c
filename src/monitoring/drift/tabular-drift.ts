/**
 * Per-feature drift on tabular data with a dataset-level decision.
 *
 * Each feature gets a univariate test (chosen automatically as Evidently does, or named), and
 * the dataset drifts when
 * - `combine: 'share'` (default, Evidently): the share of drifting features >= `driftShare` (0.5);
 * - `combine: 'bonferroni' | 'fdr'` (Alibi): the corrected test over the per-feature p-values
 *   rejects at level `pValue` (0.05). Only p-value tests are allowed then.
 *
 * Decisions: p-value tests drift iff p < threshold; distance tests iff distance >= threshold.
 * The reference is kept as numbers (numerical features) or category counts (categorical).
 */
import { invalidArgument } from '../../errors/index.js';
import { correctPValues } from '../stats/index.js';
import type { Detector, DetectorState, DriftResult, FeatureDriftResult, TabularInput } from '../types.js';
import { type AutoRule, selectTest } from './auto-select.js';
import { type ColumnSample, columnSample, sampleFromCounts } from './column-sample.js';
import { type Category, type ColumnType, inferColumnType, presentValues, toColumns } from './columns.js';
import { getTest, type HistogramSettings, type TestName } from './univariate-tests.js';

export interface FeatureSpec {
  type?: ColumnType;
  test?: TestName;
  threshold?: number;
}

export interface TabularDriftOptions {
  /** Names for array rows (default "0", "1", ...). */
  featureNames?: string[];
  /** Per-feature type / test / threshold. */
  features?: Record<string, FeatureSpec>;
  /** Test for every feature without its own (default 'auto'). */
  test?: TestName | 'auto';
  numericalTest?: TestName;
  categoricalTest?: TestName;
  /** Thresholds per test name, overriding the defaults (0.05 for p-values, 0.1 for distances). */
  thresholds?: Partial<Record<TestName, number>>;
  combine?: 'share' | 'bonferroni' | 'fdr';
  /** Share of drifting features that makes the dataset drift (combine 'share'; default 0.5). */
  driftShare?: number;
  /** Family-wise level / FDR for 'bonferroni' and 'fdr' (default 0.05). */
  pValue?: number;
  /** PSI bins on numerical features (reference quantiles, default 10). */
  psiBins?: number;
  /** Jensen–Shannon log base (default 'e', as Evidently). */
  jsBase?: 'e' | 2;
}

type Resolved = Required<Omit<TabularDriftOptions, 'featureNames' | 'numericalTest' | 'categoricalTest'>> &
  Pick<TabularDriftOptions, 'featureNames' | 'numericalTest' | 'categoricalTest'>;

type StoredColumn =
  | { name: string; type: 'numerical'; values: number[] }
  | { name: string; type: 'categorical'; counts: [Category, number][] };

export interface TabularDriftState extends DetectorState {
  kind: 'tabular-drift';
  version: 1;
  options: Resolved;
  reference: { rows: number; columns: StoredColumn[] } | null;
}

function resolve(options: TabularDriftOptions): Resolved {
  const r: Resolved = {
    features: options.features ?? {},
    test: options.test ?? 'auto',
    thresholds: options.thresholds ?? {},
    combine: options.combine ?? 'share',
    driftShare: options.driftShare ?? 0.5,
    pValue: options.pValue ?? 0.05,
    psiBins: options.psiBins ?? 10,
    jsBase: options.jsBase ?? 'e',
    ...(options.featureNames ? { featureNames: [...options.featureNames] } : {}),
    ...(options.numericalTest ? { numericalTest: options.numericalTest } : {}),
    ...(options.categoricalTest ? { categoricalTest: options.categoricalTest } : {}),
  };
  if (!['share', 'bonferroni', 'fdr'].includes(r.combine))
    throw invalidArgument(`unknown combine "${r.combine}"`);
  if (!(r.driftShare > 0 && r.driftShare <= 1)) throw invalidArgument('driftShare must be in (0, 1]');
  if (!(r.pValue > 0 && r.pValue < 1)) throw invalidArgument('pValue must be in (0, 1)');
  if (!Number.isInteger(r.psiBins) || r.psiBins < 2) throw invalidArgument('psiBins must be an integer >= 2');
  const named = [r.test, r.numericalTest, r.categoricalTest, ...Object.values(r.features).map((f) => f.test)];
  for (const name of named) {
    if (name === undefined || name === 'auto') continue;
    const test = getTest(name);
    if (r.combine !== 'share' && test.kind !== 'p-value') {
      throw invalidArgument(`combine "${r.combine}" needs p-value tests; "${name}" is a distance`);
    }
  }
  return r;
}

/** Univariate drift per feature, combined into a dataset verdict (Evidently share rule or Alibi corrections). */
export class TabularDriftDetector implements Detector<TabularInput, DriftResult, TabularDriftState> {
  readonly kind = 'tabular-drift' as const;
  private readonly options: Resolved;
  private reference: { rows: number; columns: Map<string, ColumnSample> } | null = null;

  constructor(options: TabularDriftOptions = {}) {
    this.options = resolve(options);
  }

  /** Stores the reference columns and fixes each feature's type. */
  fit(reference: TabularInput): this {
    const cols = toColumns(reference, this.options.featureNames);
    const columns = new Map<string, ColumnSample>();
    for (const name of cols.names) {
      const values = presentValues(cols.values.get(name) ?? [], name);
      const type = this.options.features[name]?.type ?? inferColumnType(values);
      columns.set(name, columnSample(type, values, name));
    }
    this.reference = { rows: cols.rows, columns };
    return this;
  }

  /** Tests every reference feature on `current` and combines the verdicts. */
  predict(current: TabularInput): DriftResult {
    const reference = this.requireReference();
    const cols = toColumns(current, this.options.featureNames);
    const perFeature: FeatureDriftResult[] = [];
    const skippedFeatures: string[] = [];
    for (const [name, refSample] of reference.columns) {
      const column = cols.values.get(name);
      if (!column) throw invalidArgument(`current data has no feature "${name}"`);
      const curSample = columnSample(refSample.type, presentValues(column, name), name);
      if (refSample.size === 0 || curSample.size === 0) {
        skippedFeatures.push(name);
        continue;
      }
      perFeature.push(this.testFeature(name, refSample, curSample, reference.rows));
    }
    if (perFeature.length === 0) throw invalidArgument('no feature has values on both sides');
    return {
      ...this.combine(perFeature),
      perFeature,
      ...(skippedFeatures.length ? { skippedFeatures } : {}),
    };
  }

  private testFeature(
    name: string,
    reference: ColumnSample,
    current: ColumnSample,
    referenceRows: number,
  ): FeatureDriftResult {
    const o = this.options;
    const spec = o.features[name] ?? {};
    const typed = reference.type === 'numerical' ? o.numericalTest : o.categoricalTest;
    const requested = spec.test ?? typed ?? o.test;
    const rule: AutoRule = o.combine === 'share' ? 'evidently' : 'p-value';
    const testName = requested === 'auto' ? selectTest(reference, current, referenceRows, rule) : requested;
    const test = getTest(testName);
    if (test.numericalOnly && reference.type !== 'numerical') {
      throw invalidArgument(`test "${testName}" needs a numerical feature; "${name}" is categorical`);
    }
    const settings: HistogramSettings = { psiBins: o.psiBins, jsBase: o.jsBase };
    const outcome = test.run(reference, current, settings);
    const threshold = spec.threshold ?? o.thresholds[testName] ?? test.defaultThreshold;
    const isDrift =
      test.kind === 'p-value' ? (outcome.pValue as number) < threshold : outcome.distance >= threshold;
    return {
      feature: name,
      test: testName,
      kind: test.kind,
      isDrift,
      distance: outcome.distance,
      ...(outcome.pValue !== undefined ? { pValue: outcome.pValue } : {}),
      threshold,
      ...(outcome.details ? { details: outcome.details } : {}),
    };
  }

  private combine(perFeature: FeatureDriftResult[]): Omit<DriftResult, 'perFeature'> {
    const o = this.options;
    if (o.combine === 'share') {
      const share = perFeature.filter((f) => f.isDrift).length / perFeature.length;
      return {
        isDrift: share >= o.driftShare,
        distance: share,
        threshold: o.driftShare,
        method: `share>=${o.driftShare}`,
      };
    }
    const pValues = perFeature.map((f) => f.pValue as number);
    const corrected = correctPValues(pValues, o.pValue, o.combine);
    perFeature.forEach((f, i) => {
      f.isDrift = corrected.rejected[i] as boolean;
      f.threshold = corrected.threshold;
    });
    return {
      isDrift: corrected.isDrift,
      distance: corrected.rejected.filter(Boolean).length / perFeature.length,
      pValue: Math.min(...pValues),
      threshold: corrected.threshold,
      method: o.combine,
    };
  }

  private requireReference(): { rows: number; columns: Map<string, ColumnSample> } {
    if (!this.reference) throw invalidArgument('detector is not fitted: call fit(reference) first');
    return this.reference;
  }

  /** Plain JSON state: options and the reference (numbers, or category counts). */
  toJSON(): TabularDriftState {
    const reference = this.reference && {
      rows: this.reference.rows,
      columns: [...this.reference.columns].map(
        ([name, s]): StoredColumn =>
          s.type === 'numerical'
            ? { name, type: 'numerical', values: [...s.numbers] }
            : { name, type: 'categorical', counts: [...s.counts] },
      ),
    };
    return { kind: 'tabular-drift', version: 1, options: structuredClone(this.options), reference };
  }

  /** Restores a detector saved with `toJSON`. */
  static fromJSON(state: TabularDriftState): TabularDriftDetector {
    if (state?.kind !== 'tabular-drift' || state.version !== 1)
      throw invalidArgument('not a tabular-drift state (version 1)');
    const detector = new TabularDriftDetector(state.options);
    if (state.reference) {
      const columns = new Map<string, ColumnSample>();
      for (const c of state.reference.columns) {
        columns.set(
          c.name,
          c.type === 'numerical' ? columnSample('numerical', c.values, c.name) : sampleFromCounts(c.counts),
        );
      }
      detector.reference = { rows: state.reference.rows, columns };
    }
    return detector;
  }
}
