/**
 * The detectors of a monitor: fitted once on the reference (their saved states are stored with the
 * monitor), then restored fresh for every window, so a window is always compared with the
 * reference and never with drifted traffic the detector has seen, and results do not depend on how
 * windows were split across runs. Randomness (MMD permutations) is seeded by the monitor seed and
 * the window start.
 */
import { invalidArgument, isOspreyError } from '../../errors/index.js';
import { createRng } from '../../random/index.js';
import { MmdDriftDetector, type MmdDriftState, TabularDriftDetector } from '../drift/index.js';
import { type AnyDetector, loadDetector, type SavedDetectorState } from '../load-detector.js';
import { IsolationForestDetector, MahalanobisDetector, RobustZScoreDetector } from '../outlier/index.js';
import type { CellValue, FeatureDriftResult } from '../types.js';
import type { DetectorSpec, MonitorSpec } from './monitor-spec.js';

/** A fitted detector as stored: the library state plus what the monitor adds (standardisation). */
export interface FittedDetector {
  name: string;
  state: SavedDetectorState;
  /** Reference mean / std per feature, for the multivariate detectors. */
  scale?: { mean: number[]; std: number[] };
}

/** What one detector says about one window; `value` is null when it could not run (see `note`). */
export interface DetectorOutcome {
  name: string;
  value: number | null;
  pValue: number | null;
  detected: boolean | null;
  /** Per-feature results (drift), or details (outliers), or why the detector was skipped. */
  details: unknown;
}

/** Fits every detector of `spec` on the reference rows. */
export function fitDetectors(
  spec: MonitorSpec,
  reference: readonly (readonly CellValue[])[],
): FittedDetector[] {
  if (reference.length < 2) throw invalidArgument('the reference needs at least two rows');
  return spec.detectors.map((d) => fitOne(spec, d, reference));
}

function fitOne(
  spec: MonitorSpec,
  d: DetectorSpec,
  reference: readonly (readonly CellValue[])[],
): FittedDetector {
  const featureNames = spec.features.map((f) => f.name);
  if (d.type === 'feature-drift') {
    const features = Object.fromEntries(
      spec.features.flatMap((f) => (f.type ? [[f.name, { type: f.type }]] : [])),
    );
    const detector = new TabularDriftDetector({
      featureNames,
      features,
      combine: d.correction,
      pValue: d.pValue,
      driftShare: d.driftShare,
      ...(d.test === 'auto' ? {} : { test: d.test as never }),
    });
    return { name: d.name, state: detector.fit(reference as CellValue[][]).toJSON() };
  }
  const columns = columnsOf(spec, d);
  const numeric = numericRows(
    select(reference, columns),
    columns.map((j) => featureNames[j] as string),
    d.name,
    'reference',
  );
  if (numeric.length < 2)
    throw invalidArgument(`detector "${d.name}": fewer than two complete reference rows`);
  const scale = standardiser(numeric);
  let rows = numeric.map((r) => standardise(r, scale));
  if (d.type === 'mmd') {
    if (rows.length > d.maxReference) {
      const rng = createRng(spec.seed);
      rows = rng.sampleIndices(rows.length, d.maxReference).map((i) => rows[i] as number[]);
    }
    const detector = new MmdDriftDetector({
      pValue: d.pValue,
      nPermutations: d.permutations,
      seed: spec.seed,
      plusOne: true,
    });
    return { name: d.name, state: detector.fit(rows).toJSON(), scale };
  }
  const detector =
    d.method === 'isolation-forest'
      ? new IsolationForestDetector({ contamination: d.contamination, seed: spec.seed })
      : d.method === 'mahalanobis'
        ? new MahalanobisDetector({ fpr: d.contamination })
        : new RobustZScoreDetector({ fpr: d.contamination });
  return { name: d.name, state: detector.fit(rows).toJSON(), scale };
}

/** A detector restored for one evaluation: those whose predict keeps no state are restored once. */
interface Loaded {
  fitted: FittedDetector;
  detector: AnyDetector | null;
}

/**
 * Restores the fitted detectors for a series of windows and returns the function that runs them on
 * one window. A detector that cannot run on a window says why instead of failing it.
 */
export function loadDetectors(
  spec: MonitorSpec,
  fitted: readonly FittedDetector[],
): (rows: readonly (readonly CellValue[])[], windowStart: number) => DetectorOutcome[] {
  // MMD draws permutations from its RNG, so it is restored per window with a window-seeded state.
  const loaded: Loaded[] = fitted.map((f) => ({
    fitted: f,
    detector: f.state.kind === 'mmd-drift' ? null : loadDetector(f.state),
  }));
  return (rows, windowStart) =>
    spec.detectors.map((d, i) => runSafely(spec, d, loaded[i] as Loaded, rows, windowStart));
}

function runSafely(
  spec: MonitorSpec,
  d: DetectorSpec,
  f: Loaded,
  rows: readonly (readonly CellValue[])[],
  windowStart: number,
): DetectorOutcome {
  try {
    return runOne(spec, d, f, rows, windowStart);
  } catch (error) {
    if (!isOspreyError(error)) throw error;
    return { name: d.name, value: null, pValue: null, detected: null, details: { skipped: error.message } };
  }
}

function runOne(
  spec: MonitorSpec,
  d: DetectorSpec,
  { fitted: f, detector }: Loaded,
  rows: readonly (readonly CellValue[])[],
  windowStart: number,
): DetectorOutcome {
  if (rows.length === 0) throw invalidArgument('the window is empty');
  const featureNames = spec.features.map((x) => x.name);
  if (d.type === 'feature-drift') {
    const result = (detector as TabularDriftDetector).predict(rows as CellValue[][]);
    const perFeature = result.perFeature ?? [];
    return {
      name: d.name,
      value: finiteOrNull(result.distance),
      pValue: adjustedMinP(perFeature, d.correction),
      detected: result.isDrift,
      details: { features: perFeature.map(featureSummary), skipped: result.skippedFeatures ?? [] },
    };
  }
  const scale = f.scale as NonNullable<FittedDetector['scale']>;
  const columns = columnsOf(spec, d);
  const numeric = numericRows(
    select(rows, columns),
    columns.map((j) => featureNames[j] as string),
    d.name,
    'window',
  ).map((r) => standardise(r, scale));
  const incomplete = rows.length - numeric.length;
  if (d.type === 'mmd') {
    const state = f.state as MmdDriftState;
    const seeded = { ...state, rng: createRng((spec.seed ^ Math.floor(windowStart / 1000)) >>> 0).state() };
    const limit = state.options.maxPooled - (state.reference?.length ?? 0);
    const sample = numeric.length > limit ? pick(numeric, limit, windowStart) : numeric;
    const result = MmdDriftDetector.fromJSON(seeded).predict(sample);
    return {
      name: d.name,
      value: finiteOrNull(result.distance),
      pValue: finiteOrNull(result.pValue ?? Number.NaN),
      detected: result.isDrift,
      details: {
        rows: sample.length,
        incompleteRows: incomplete,
        distanceThreshold: result.distanceThreshold ?? null,
      },
    };
  }
  if (numeric.length === 0) throw invalidArgument('no complete numeric row in the window');
  const results = (detector as IsolationForestDetector).predict(numeric);
  const outliers = results.filter((r) => r.isOutlier).length;
  const rate = outliers / results.length;
  return {
    name: d.name,
    value: rate,
    pValue: null,
    detected: rate >= d.maxRate,
    details: {
      outliers,
      rows: results.length,
      incompleteRows: incomplete,
      threshold: results[0]?.threshold ?? null,
    },
  };
}

/** Indices of the features a multivariate detector looks at. */
function columnsOf(spec: MonitorSpec, d: Exclude<DetectorSpec, { type: 'feature-drift' }>): number[] {
  const names = spec.features.map((f) => f.name);
  return d.features ? d.features.map((f) => names.indexOf(f)) : names.map((_, j) => j);
}

function select(rows: readonly (readonly CellValue[])[], columns: readonly number[]): CellValue[][] {
  return rows.map((r) => columns.map((j) => r[j] as CellValue));
}

function featureSummary(f: FeatureDriftResult) {
  return {
    feature: f.feature,
    test: f.test,
    isDrift: f.isDrift,
    distance: finiteOrNull(f.distance),
    pValue: f.pValue === undefined ? null : finiteOrNull(f.pValue),
    threshold: f.threshold,
  };
}

/** The smallest p-value adjusted for the number of features (Bonferroni, or Benjamini–Hochberg), so it compares with the family level. */
function adjustedMinP(perFeature: readonly FeatureDriftResult[], correction: string): number | null {
  const ps = perFeature
    .map((f) => f.pValue)
    .filter((p): p is number => p !== undefined && Number.isFinite(p));
  if (ps.length === 0 || correction === 'share') return null;
  const n = ps.length;
  if (correction === 'bonferroni') return Math.min(1, n * Math.min(...ps));
  const sorted = [...ps].sort((a, b) => a - b);
  return Math.min(1, ...sorted.map((p, i) => (p * n) / (i + 1)));
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Rows whose features are all finite numbers; a categorical value is an error (multivariate detectors are numeric). */
function numericRows(
  rows: readonly (readonly CellValue[])[],
  names: readonly string[],
  detector: string,
  what: string,
): number[][] {
  const out: number[][] = [];
  for (const row of rows) {
    let complete = true;
    for (const [j, v] of row.entries()) {
      if (typeof v === 'string')
        throw invalidArgument(
          `detector "${detector}" needs numerical features; ${what} feature "${names[j]}" holds "${v}"`,
        );
      if (typeof v !== 'number' || !Number.isFinite(v)) complete = false;
    }
    if (complete) out.push(row as number[]);
  }
  return out;
}

function standardiser(rows: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const d = (rows[0] as readonly number[]).length;
  const mean = Array.from(
    { length: d },
    (_, j) => rows.reduce((s, r) => s + (r[j] as number), 0) / rows.length,
  );
  const std = mean.map((m, j) => {
    const v = rows.reduce((s, r) => s + ((r[j] as number) - m) ** 2, 0) / rows.length;
    // A constant reference column keeps its units rather than dividing by zero.
    return v > 0 ? Math.sqrt(v) : 1;
  });
  return { mean, std };
}

function standardise(row: readonly number[], scale: { mean: number[]; std: number[] }): number[] {
  return row.map((v, j) => (v - (scale.mean[j] as number)) / (scale.std[j] as number));
}

function pick(rows: readonly number[][], k: number, seed: number): number[][] {
  return createRng(seed >>> 0)
    .sampleIndices(rows.length, k)
    .map((i) => rows[i] as number[]);
}
