import { invalidArgument } from '../../errors/index.js';
import { BASE_POINTS_PER_BUCKET, checkMaxPoints, planStepBuckets, type StepBuckets } from './step-buckets.js';

/** One logged value of a metric (MLflow `Metric`: value double, timestamp ms, step int64). */
export interface MetricPoint {
  step: number;
  value: number;
  timestamp: number;
}

/**
 * Chooses which points of a metric history to draw so that no extreme is lost (the complaint in
 * mlflow/mlflow#11444 and #11660 about sampled charts, reference/tracking.md §5.4).
 *
 * The step range is cut into equal-width buckets (see `planStepBuckets`); each bucket keeps its
 * first and last point and the points holding its minimum and maximum finite value, so the
 * global first, last, min and max are always kept and every bucket's envelope is exact.
 *
 * Non-finite values (MLflow accepts NaN and ±Infinity): min/max consider finite values only,
 * otherwise one +Infinity would be "the max" of its bucket and hide the finite peak beside it,
 * and NaN has no order at all. But a loss turning NaN or infinite is exactly what a chart must
 * not hide, so each bucket also keeps the first NaN, the first +Infinity and the first -Infinity
 * it holds. The per-bucket cost counts only the kinds that occur in the series, so a clean
 * series gets the full `maxPoints / 4` buckets.
 *
 * Ties (equal values, duplicate steps) go to the earliest point in input order. Inputs must be
 * sorted by step (ties in any fixed order); steps must be finite, and safe integers for the
 * bucket arithmetic to match SQL's. Returns ascending indices, at most `maxPoints` of them; all
 * indices when the series already fits.
 */
export function downsampleIndices(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  maxPoints: number,
): Uint32Array {
  checkMaxPoints(maxPoints);
  const kinds = scan(steps, values);
  const n = steps.length;
  if (n <= maxPoints) return Uint32Array.from({ length: n }, (_, i) => i);
  return selectPoints(steps, values, planStepBuckets(steps[0]!, steps[n - 1]!, maxPoints, kinds));
}

/**
 * Applies a given bucket plan (from `planStepBuckets` on the full series' step range and
 * non-finite kinds) to a sorted series and returns the ascending indices it keeps. This is the
 * merge step of SQL-side bucketing: run over any subset of the history that contains each
 * bucket's first, last, min, max and first non-finite point of each kind (ordered like the full
 * history), it keeps exactly the points it would keep on the full history.
 */
export function selectIndicesInBuckets(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  buckets: StepBuckets,
): Uint32Array {
  const kinds = scan(steps, values);
  const n = steps.length;
  if (n === 0) return new Uint32Array(0);
  if (steps[0]! < buckets.minStep || steps[n - 1]! > buckets.maxStep) {
    throw invalidArgument(
      `steps [${steps[0]}, ${steps[n - 1]}] fall outside the bucket plan [${buckets.minStep}, ${buckets.maxStep}]`,
    );
  }
  if (BASE_POINTS_PER_BUCKET + kinds > buckets.pointsPerBucket) {
    throw invalidArgument('the series holds more non-finite kinds than its bucket plan was made for');
  }
  return selectPoints(steps, values, buckets);
}

/**
 * Downsamples a metric history given as objects sorted by step; see {@link downsampleIndices}
 * for the guarantees.
 */
export function downsampleMetricHistory<P extends { step: number; value: number }>(
  points: readonly P[],
  maxPoints: number,
): P[] {
  const { steps, values } = columns(points);
  return pick(points, downsampleIndices(steps, values, maxPoints));
}

/** Object form of {@link selectIndicesInBuckets}: merges SQL per-bucket candidate rows. */
export function mergeBucketCandidates<P extends { step: number; value: number }>(
  candidates: readonly P[],
  buckets: StepBuckets,
): P[] {
  const { steps, values } = columns(candidates);
  return pick(candidates, selectIndicesInBuckets(steps, values, buckets));
}

function columns(points: readonly { step: number; value: number }[]) {
  const n = points.length;
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const point = points[i]!;
    steps[i] = point.step;
    values[i] = point.value;
  }
  return { steps, values };
}

function pick<P>(points: readonly P[], kept: Uint32Array): P[] {
  const result = new Array<P>(kept.length);
  for (let i = 0; i < kept.length; i++) result[i] = points[kept[i]!]!;
  return result;
}

/** Validates lengths and step order; returns how many non-finite kinds (NaN, +Inf, -Inf) occur. */
function scan(steps: ArrayLike<number>, values: ArrayLike<number>): number {
  if (values.length !== steps.length) {
    throw invalidArgument(`steps and values differ in length (${steps.length} vs ${values.length})`);
  }
  let previous = Number.NEGATIVE_INFINITY;
  let nan = 0;
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (!(step >= previous) || !Number.isFinite(step)) {
      throw invalidArgument(`metric history must be sorted by finite step; step ${step} at index ${i}`);
    }
    previous = step;
    const value = values[i]!;
    if (Number.isNaN(value)) nan = 1;
    else if (value === Number.POSITIVE_INFINITY) positive = 1;
    else if (value === Number.NEGATIVE_INFINITY) negative = 1;
  }
  return nan + positive + negative;
}

function selectPoints(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  buckets: StepBuckets,
): Uint32Array {
  const n = steps.length;
  // planStepBuckets makes count · pointsPerBucket <= maxPoints, and scan() checked the kinds.
  const out = new Uint32Array(buckets.count * buckets.pointsPerBucket);
  const picked = [0, 0, 0, 0, 0, 0, 0];
  let length = 0;
  const { minStep, width } = buckets;
  // Per-bucket state; -1 = none yet.
  let first = 0;
  let minAt = -1;
  let maxAt = -1;
  let minValue = 0;
  let maxValue = 0;
  let nanAt = -1;
  let positiveAt = -1;
  let negativeAt = -1;
  if (n === 0) return out;
  // The upper boundary of the first point's bucket (bucket 0 unless a subset starts later).
  let nextBoundary = minStep + (Math.floor((steps[0]! - minStep) / width) + 1) * width;

  const flush = (last: number) => {
    let count = 0;
    picked[count++] = first;
    if (last !== first) picked[count++] = last;
    for (const index of [minAt, maxAt, nanAt, positiveAt, negativeAt]) {
      if (index > first && index < last) picked[count++] = index;
    }
    // At most 7 entries: insertion sort, then drop duplicates (min and max can be one point).
    for (let a = 1; a < count; a++) {
      const v = picked[a]!;
      let b = a - 1;
      while (b >= 0 && picked[b]! > v) {
        picked[b + 1] = picked[b]!;
        b--;
      }
      picked[b + 1] = v;
    }
    for (let a = 0; a < count; a++) {
      if (a === 0 || picked[a] !== picked[a - 1]) out[length++] = picked[a]!;
    }
  };

  for (let i = 0; i < n; i++) {
    const step = steps[i]!;
    if (step >= nextBoundary) {
      flush(i - 1);
      const bucket = Math.floor((step - minStep) / width);
      nextBoundary = minStep + (bucket + 1) * width;
      first = i;
      minAt = maxAt = nanAt = positiveAt = negativeAt = -1;
    }
    const value = values[i]!;
    if (Number.isNaN(value)) {
      if (nanAt < 0) nanAt = i;
    } else if (value === Number.POSITIVE_INFINITY) {
      if (positiveAt < 0) positiveAt = i;
    } else if (value === Number.NEGATIVE_INFINITY) {
      if (negativeAt < 0) negativeAt = i;
    } else {
      if (minAt < 0 || value < minValue) {
        minAt = i;
        minValue = value;
      }
      if (maxAt < 0 || value > maxValue) {
        maxAt = i;
        maxValue = value;
      }
    }
  }
  flush(n - 1);
  return out.slice(0, length);
}
