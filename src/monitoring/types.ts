/**
 * The result shapes every monitoring detector returns, and the detector contract
 * (fit on a reference, predict on new data, save to plain JSON).
 *
 * One shape per family, aligned with Alibi Detect's `data` dict (is_drift, distance, p_val,
 * threshold) but with camelCase names and booleans.
 */

/** A single cell of tabular data; `null`, `undefined` and NaN count as missing. */
export type CellValue = number | string | boolean | null | undefined;

/** Column-major table: one array per column, all the same length. */
export type ColumnarData = Readonly<Record<string, readonly CellValue[]>>;

/** Rows as arrays (feature names come from options) or as records, or columns. */
export type TabularInput =
  | readonly (readonly CellValue[])[]
  | readonly Readonly<Record<string, CellValue>>[]
  | ColumnarData;

/** Whether a test decides by a p-value (`pValue < threshold`) or by a distance (`distance >= threshold`). */
export type TestKind = 'p-value' | 'distance';

/** Outcome of one univariate test on one feature. */
export interface FeatureDriftResult {
  feature: string;
  /** Test that was run (after automatic selection). */
  test: string;
  kind: TestKind;
  isDrift: boolean;
  /** The test statistic or distance (KS D, chi-squared, PSI, ...). */
  distance: number;
  pValue?: number;
  /** What `pValue` or `distance` was compared with (after any multiple-testing correction). */
  threshold: number;
  /** Test-specific facts needed to read the number: method (exact/asymptotic), binning, dof. */
  details?: Readonly<Record<string, unknown>>;
}

/** Drift on a batch, for one feature set or a whole dataset. */
export interface DriftResult {
  isDrift: boolean;
  /** Main statistic: MMD², classifier AUC, or the share of drifted features for dataset drift. */
  distance: number;
  pValue?: number;
  /** Threshold `pValue` (p-value decisions) or `distance` (share / distance decisions) is compared with. */
  threshold: number;
  /** For permutation tests: the permuted statistic at the p-value threshold (Alibi's `distance_threshold`). */
  distanceThreshold?: number;
  perFeature?: FeatureDriftResult[];
  /** Features left out because one side had no non-missing value. */
  skippedFeatures?: string[];
  /** How the decision was taken, e.g. `share>=0.5`, `bonferroni`, `permutation`. */
  method: string;
}

/** Outlier verdict for one instance (row). */
export interface OutlierResult {
  isOutlier: boolean;
  score: number;
  threshold: number;
  /** Per-feature scores where the method has them (robust z-scores). */
  perFeature?: number[];
}

/** Adversarial verdict for one instance (row). */
export interface AdversarialResult {
  isAdversarial: boolean;
  score: number;
  threshold: number;
  /** Largest prediction change over the squeezers. */
  squeezeScore: number;
  /** Mean prediction change over the random perturbations. */
  noiseScore: number;
}

/** Saved detector state: plain JSON with a `kind` tag and a format version. */
export interface DetectorState {
  readonly kind: string;
  readonly version: number;
}

/** The contract every synchronous detector follows. */
export interface Detector<TInput, TResult, TState extends DetectorState = DetectorState> {
  readonly kind: TState['kind'];
  /** Learns the reference (and thresholds) from `reference`; returns the detector for chaining. */
  fit(reference: TInput): this;
  /** Scores `input` against the fitted reference. */
  predict(input: TInput): TResult;
  /** Plain JSON-serialisable state; the matching `fromJSON` restores an identical detector. */
  toJSON(): TState;
}

/** The contract of detectors that call a model (asynchronous fit and predict). */
export interface AsyncDetector<TInput, TResult, TState extends DetectorState = DetectorState> {
  readonly kind: TState['kind'];
  fit(reference: TInput): Promise<this>;
  predict(input: TInput): Promise<TResult>;
  toJSON(): TState;
}
