import { invalidArgument } from '../../errors/index.js';

/**
 * Points a downsampled series keeps per bucket: first, last, min and max, plus the first point of
 * each non-finite kind (NaN, +Infinity, -Infinity) present in the series.
 */
export const BASE_POINTS_PER_BUCKET = 4;

/** Smallest `maxPoints` a downsample accepts: 4 per bucket + 3 non-finite kinds in one bucket. */
export const MIN_DOWNSAMPLE_POINTS = BASE_POINTS_PER_BUCKET + 3;

/**
 * Equal-width step buckets over [minStep, maxStep]: bucket `b` holds steps in
 * [minStep + b·width, minStep + (b+1)·width). With integer steps the SQL layer computes the same
 * bucket by integer division: SQLite `(step - CAST(? AS INTEGER)) / CAST(? AS INTEGER)` (the casts
 * matter: better-sqlite3 binds JS numbers as REAL, which would divide exactly), PostgreSQL
 * `(step - $1::bigint) / $2::bigint`. Both truncate, which is floor here since step >= minStep.
 * It groups by that bucket and hands the candidates to `mergeBucketCandidates`.
 */
export interface StepBuckets {
  readonly minStep: number;
  readonly maxStep: number;
  /** Steps per bucket, a positive integer when steps are integers. */
  readonly width: number;
  /** Number of buckets from minStep to maxStep inclusive (some may be empty). */
  readonly count: number;
  /** Points kept per bucket (4 + number of non-finite kinds present). */
  readonly pointsPerBucket: number;
}

/**
 * Plans the buckets for a series whose steps span [minStep, maxStep] so that keeping
 * `4 + nonFiniteKinds` points per bucket stays within `maxPoints`.
 * `nonFiniteKinds` counts which of NaN, +Infinity, -Infinity occur in the series (0..3).
 */
export function planStepBuckets(
  minStep: number,
  maxStep: number,
  maxPoints: number,
  nonFiniteKinds = 0,
): StepBuckets {
  checkMaxPoints(maxPoints);
  if (!Number.isFinite(minStep) || !Number.isFinite(maxStep) || maxStep < minStep) {
    throw invalidArgument(`step range must be finite with minStep <= maxStep, got [${minStep}, ${maxStep}]`);
  }
  if (!Number.isInteger(nonFiniteKinds) || nonFiniteKinds < 0 || nonFiniteKinds > 3) {
    throw invalidArgument(`nonFiniteKinds must be 0, 1, 2 or 3, got ${nonFiniteKinds}`);
  }
  const pointsPerBucket = BASE_POINTS_PER_BUCKET + nonFiniteKinds;
  const budget = Math.floor(maxPoints / pointsPerBucket);
  // Integer steps: span counts the distinct steps the range can hold.
  const span = maxStep - minStep + 1;
  const width = Math.max(1, Math.ceil(span / budget));
  const count = Math.floor((maxStep - minStep) / width) + 1;
  return { minStep, maxStep, width, count, pointsPerBucket };
}

/** The bucket a step falls in (0-based); the same value as SQL's `(step - minStep) / width`. */
export function stepBucketOf(buckets: StepBuckets, step: number): number {
  return Math.floor((step - buckets.minStep) / buckets.width);
}

/** The first step of bucket `index` (its inclusive lower boundary). */
export function stepBucketStart(buckets: StepBuckets, index: number): number {
  return buckets.minStep + index * buckets.width;
}

/** Throws INVALID_ARGUMENT unless `maxPoints` is an integer >= MIN_DOWNSAMPLE_POINTS. */
export function checkMaxPoints(maxPoints: number): void {
  if (!Number.isSafeInteger(maxPoints) || maxPoints < MIN_DOWNSAMPLE_POINTS) {
    throw invalidArgument(`maxPoints must be an integer >= ${MIN_DOWNSAMPLE_POINTS}, got ${maxPoints}`);
  }
}
