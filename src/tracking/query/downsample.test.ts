import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  downsampleIndices,
  downsampleMetricHistory,
  type MetricPoint,
  mergeBucketCandidates,
  selectIndicesInBuckets,
} from './downsample.js';
import {
  MIN_DOWNSAMPLE_POINTS,
  planStepBuckets,
  type StepBuckets,
  stepBucketOf,
  stepBucketStart,
} from './step-buckets.js';

// Deterministic pseudo-random numbers (Park–Miller minimal standard generator).
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

/** A sorted series with gaps, repeated steps and (optionally) injected NaN / ±Infinity. */
function series(n: number, seed: number, nonFinite: boolean): { steps: number[]; values: number[] } {
  const random = generator(seed);
  const steps: number[] = [];
  const values: number[] = [];
  let step = Math.floor(random() * 100) - 50;
  for (let i = 0; i < n; i++) {
    const r = random();
    step += r < 0.1 ? 0 : r < 0.9 ? 1 : Math.floor(random() * 500);
    steps.push(step);
    let value = Math.sin(i / 50) + (random() - 0.5) * 0.3 + (random() < 0.01 ? 5 : 0);
    if (random() < 0.05) value = Math.round(value); // ties between equal values
    if (nonFinite) {
      const k = random();
      if (k < 0.01) value = Number.NaN;
      else if (k < 0.015) value = Number.POSITIVE_INFINITY;
      else if (k < 0.018) value = Number.NEGATIVE_INFINITY;
    }
    values.push(value);
  }
  return { steps, values };
}

/** Independent reference: group points by bucket with stepBucketOf and pick each group's representatives. */
function reference(steps: number[], values: number[], buckets: StepBuckets): number[] {
  const groups = new Map<number, number[]>();
  steps.forEach((step, i) => {
    const b = stepBucketOf(buckets, step);
    const members = groups.get(b);
    if (members) members.push(i);
    else groups.set(b, [i]);
  });
  const kept = new Set<number>();
  for (const members of groups.values()) {
    kept.add(members[0]!);
    kept.add(members.at(-1)!);
    const finite = members.filter((i) => Number.isFinite(values[i]));
    if (finite.length > 0) {
      const min = Math.min(...finite.map((i) => values[i]!));
      const max = Math.max(...finite.map((i) => values[i]!));
      kept.add(finite.find((i) => values[i] === min)!);
      kept.add(finite.find((i) => values[i] === max)!);
    }
    for (const kind of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const found = members.find((i) => Object.is(values[i], kind));
      if (found !== undefined) kept.add(found);
    }
  }
  return [...kept].sort((a, b) => a - b);
}

function kindsIn(values: number[]): number {
  return [Number.isNaN, (v: number) => v === Infinity, (v: number) => v === -Infinity].filter((test) =>
    values.some(test),
  ).length;
}

function firstIndexOf(values: number[], test: (v: number) => boolean): number {
  return values.findIndex(test);
}

describe('downsampleIndices', () => {
  it('keeps the guarantees on 200 random series (lengths, gaps, ties, NaN and infinities)', () => {
    const random = generator(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 3000);
      const maxPoints = MIN_DOWNSAMPLE_POINTS + Math.floor(random() * 400);
      const { steps, values } = series(n, trial + 1, trial % 2 === 0);
      const kept = Array.from(downsampleIndices(steps, values, maxPoints));
      const label = `trial ${trial}: n=${n} maxPoints=${maxPoints}`;

      assert.ok(kept.length <= maxPoints, label);
      assert.ok(
        kept.every((index, j) => j === 0 || index > kept[j - 1]!),
        `${label}: strictly ascending`,
      );
      if (n <= maxPoints) {
        assert.equal(kept.length, n, `${label}: a series that fits is returned whole`);
        continue;
      }
      const has = new Set(kept);
      assert.ok(has.has(0) && has.has(n - 1), `${label}: first and last`);
      const finite = values.filter(Number.isFinite);
      if (finite.length > 0) {
        const min = Math.min(...finite);
        const max = Math.max(...finite);
        assert.ok(has.has(firstIndexOf(values, (v) => v === min)), `${label}: global min`);
        assert.ok(has.has(firstIndexOf(values, (v) => v === max)), `${label}: global max`);
      }
      for (const test of [Number.isNaN, (v: number) => v === Infinity, (v: number) => v === -Infinity]) {
        const first = firstIndexOf(values, test);
        if (first >= 0) assert.ok(has.has(first), `${label}: first non-finite of each kind`);
      }
      const buckets = planStepBuckets(steps[0]!, steps.at(-1)!, maxPoints, kindsIn(values));
      assert.deepEqual(kept, reference(steps, values, buckets), `${label}: per-bucket envelope`);
    }
  });

  it('keeps an isolated spike that plain every-k-th sampling would drop', () => {
    const n = 100_000;
    const steps = Array.from({ length: n }, (_, i) => i);
    const values = steps.map((i) => (i === 54_321 ? 1e6 : i === 12_345 ? -1e6 : 1));
    const kept = Array.from(downsampleIndices(steps, values, 320));
    assert.ok(kept.includes(54_321) && kept.includes(12_345));
    assert.ok(kept.length <= 320);
  });

  it('shows a loss that turns NaN and stays NaN', () => {
    const n = 50_000;
    const steps = Array.from({ length: n }, (_, i) => i);
    const values = steps.map((i) => (i >= 30_000 ? Number.NaN : 1 / (i + 1)));
    const kept = Array.from(downsampleIndices(steps, values, 100));
    assert.ok(kept.includes(30_000), 'the first NaN');
    assert.ok(kept.includes(n - 1), 'the last point, NaN');
    assert.ok(kept.length <= 100);
  });

  it('handles all-NaN, constant, single-step and negative-step series', () => {
    const nan = downsampleIndices(new Float64Array(1000), new Float64Array(1000).fill(Number.NaN), 10);
    assert.ok(nan.length <= 10 && nan[0] === 0 && nan.at(-1) === 999);
    const constant = downsampleIndices(
      Array.from({ length: 1000 }, (_, i) => i),
      new Array(1000).fill(3),
      8,
    );
    assert.deepEqual(Array.from(constant), [0, 499, 500, 999]);
    const sameStep = downsampleIndices(
      new Array(50).fill(5),
      [...Array.from({ length: 50 }, (_, i) => i % 7)],
      7,
    );
    assert.deepEqual(Array.from(sameStep), [0, 6, 49]); // first (also min 0), first max 6, last
    const negative = downsampleIndices([-30, -20, -10, -5, 0, 5, 10, 20, 30], [1, 2, 3, 4, 5, 6, 7, 8, 9], 7);
    assert.ok(negative.length <= 7 && negative[0] === 0 && negative.at(-1) === 8);
  });

  it('returns short series whole and accepts typed arrays', () => {
    assert.deepEqual(Array.from(downsampleIndices([], [], 7)), []);
    assert.deepEqual(
      Array.from(downsampleIndices(new Float64Array([1, 2, 3]), new Float64Array([3, 2, 1]), 7)),
      [0, 1, 2],
    );
  });

  it('rejects bad arguments with INVALID_ARGUMENT', () => {
    const bad = { code: 'INVALID_ARGUMENT' };
    assert.throws(() => downsampleIndices([1, 2], [1, 2], 6), bad);
    assert.throws(() => downsampleIndices([1, 2], [1, 2], 7.5), bad);
    assert.throws(() => downsampleIndices([1, 2], [1], 10), bad);
    assert.throws(() => downsampleIndices([2, 1], [1, 2], 10), bad);
    assert.throws(() => downsampleIndices([1, Number.NaN], [1, 2], 10), bad);
    assert.throws(() => downsampleIndices([1, Infinity], [1, 2], 10), bad);
  });

  it('runs on a million points (properties only; timing is reported, not asserted)', () => {
    const n = 1_000_000;
    const steps = new Float64Array(n);
    const values = new Float64Array(n);
    const random = generator(3);
    for (let i = 0; i < n; i++) {
      steps[i] = i;
      values[i] = Math.exp(-i / 2e5) + (random() - 0.5) * 0.05;
    }
    values[777_777] = -5;
    const kept = downsampleIndices(steps, values, 1000);
    assert.ok(kept.length <= 1000 && kept.length > 900);
    assert.ok(kept.includes(777_777) && kept[0] === 0 && kept.at(-1) === n - 1);
  });
});

describe('downsampleMetricHistory', () => {
  it('returns the same points as the index form, as objects', () => {
    const { steps, values } = series(5000, 11, true);
    const points: MetricPoint[] = steps.map((step, i) => ({ step, value: values[i]!, timestamp: 1e12 + i }));
    const kept = downsampleMetricHistory(points, 200);
    assert.deepEqual(
      kept,
      Array.from(downsampleIndices(steps, values, 200), (i) => points[i]),
    );
  });
});

describe('SQL-side bucketing', () => {
  it('plans buckets the SQL layer can reproduce with integer division', () => {
    const buckets = planStepBuckets(0, 999_999, 1000);
    assert.deepEqual(buckets, { minStep: 0, maxStep: 999_999, width: 4000, count: 250, pointsPerBucket: 4 });
    assert.equal(stepBucketOf(buckets, 3999), 0);
    assert.equal(stepBucketOf(buckets, 4000), 1);
    assert.equal(stepBucketOf(buckets, 999_999), 249);
    assert.equal(stepBucketStart(buckets, 249), 996_000);
    const withNaN = planStepBuckets(-100, 100, 320, 1);
    assert.equal(withNaN.pointsPerBucket, 5);
    assert.ok(withNaN.count * withNaN.pointsPerBucket <= 320);
    assert.deepEqual(planStepBuckets(5, 5, 7), {
      minStep: 5,
      maxStep: 5,
      width: 1,
      count: 1,
      pointsPerBucket: 4,
    });
  });

  it('never plans more points than asked for', () => {
    const random = generator(5);
    for (let trial = 0; trial < 500; trial++) {
      const min = Math.floor((random() - 0.5) * 1e9);
      const max = min + Math.floor(random() ** 3 * 1e9);
      const maxPoints = MIN_DOWNSAMPLE_POINTS + Math.floor(random() * 5000);
      const kinds = Math.floor(random() * 4);
      const b = planStepBuckets(min, max, maxPoints, kinds);
      assert.ok(b.count * b.pointsPerBucket <= maxPoints, JSON.stringify({ min, max, maxPoints, kinds }));
      assert.equal(stepBucketOf(b, max), b.count - 1);
    }
  });

  it('merging any candidate superset gives exactly the full-history result', () => {
    for (let trial = 0; trial < 40; trial++) {
      const { steps, values } = series(4000, 100 + trial, trial % 2 === 1);
      const points = steps.map((step, i) => ({ step, value: values[i]!, i }));
      const maxPoints = 50 + trial * 7;
      const expected = downsampleMetricHistory(points, maxPoints);
      const buckets = planStepBuckets(steps[0]!, steps.at(-1)!, maxPoints, kindsIn(values));
      // What a GROUP BY bucket query returns: the kept rows plus arbitrary extra rows, in history order.
      const random = generator(trial + 1);
      const chosen = new Set(expected.map((p) => p.i));
      const candidates = points.filter((p) => chosen.has(p.i) || random() < 0.1);
      assert.deepEqual(mergeBucketCandidates(candidates, buckets), expected, `trial ${trial}`);
    }
  });

  it('matches a SQLite GROUP BY bucket query merged in JS (the documented SQL path)', () => {
    // SQLite stores NaN as NULL, so this series is finite; non-finite kinds need their own
    // representation in the store and one more ROW_NUMBER per kind.
    const { steps, values } = series(20_000, 99, false);
    const maxPoints = 300;
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE metric (seq INTEGER PRIMARY KEY, step INTEGER NOT NULL, value REAL NOT NULL)');
      const insert = db.prepare('INSERT INTO metric (seq, step, value) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (let i = 0; i < steps.length; i++) insert.run(i, steps[i], values[i]);
      })();
      const range = db.prepare('SELECT min(step) AS lo, max(step) AS hi FROM metric').get() as {
        lo: number;
        hi: number;
      };
      const buckets = planStepBuckets(range.lo, range.hi, maxPoints, 0);
      const candidates = db
        .prepare(
          `WITH bucketed AS (
             SELECT seq, step, value,
                    (step - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS bucket
             FROM metric),
           ranked AS (
             SELECT seq, step, value,
               ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY step, seq) AS first_rank,
               ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY step DESC, seq DESC) AS last_rank,
               ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY value, step, seq) AS min_rank,
               ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY value DESC, step, seq) AS max_rank
             FROM bucketed)
           SELECT seq, step, value FROM ranked
           WHERE first_rank = 1 OR last_rank = 1 OR min_rank = 1 OR max_rank = 1
           ORDER BY step, seq`,
        )
        .all(buckets.minStep, buckets.width) as { seq: number; step: number; value: number }[];
      const merged = mergeBucketCandidates(candidates, buckets).map((row) => row.seq);
      assert.deepEqual(merged, Array.from(downsampleIndices(steps, values, maxPoints)));
      assert.ok(candidates.length <= maxPoints);
    } finally {
      db.close();
    }
  });

  it('rejects candidates that do not fit their plan', () => {
    const buckets = planStepBuckets(0, 100, 8, 0);
    assert.throws(() => selectIndicesInBuckets([0, 200], [1, 2], buckets), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => selectIndicesInBuckets([0, 50], [1, Number.NaN], buckets), {
      code: 'INVALID_ARGUMENT',
    });
    assert.throws(() => planStepBuckets(10, 0, 100), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => planStepBuckets(0, 10, 100, 4), { code: 'INVALID_ARGUMENT' });
  });
});
