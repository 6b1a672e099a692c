import type { Kysely } from 'kysely';
import type { DialectProfile, MetricRollupTable, Schema } from '../store/db/index.js';
import { type BatchColumn, createBatchStatement } from '../store/db/index.js';
import type { Metric } from './types.js';

/**
 * The rollup levels, finest first. `level` is the id stored in `metric_rollups.level` and `width` the
 * bucket width in steps. Ids are stable, so they are not in width order: level 2 (512) came after 0 and
 * 1, and migration 0006 computed it for the histories logged before. A chart reads the coarsest level
 * that still has enough buckets, so no read returns more than about 8× the rows it needs.
 */
export const ROLLUP_LEVELS: readonly { readonly level: number; readonly width: number }[] = Object.freeze([
  { level: 0, width: 64 },
  { level: 2, width: 512 },
  { level: 1, width: 4096 },
]);

const WIDTHS = ROLLUP_LEVELS.map((l) => l.width);

/** One bucket being folded: its count and its first, last, min, max and first non-finite point. */
class Bucket {
  count = 0;
  firstStep = 0;
  firstValue: number | null = null;
  firstTs = 0;
  lastStep = 0;
  lastValue: number | null = null;
  lastTs = 0;
  minStep: number | null = null;
  minValue = 0;
  minTs = 0;
  maxStep: number | null = null;
  maxValue = 0;
  maxTs = 0;
  nfStep: number | null = null;
  nfValue: number | null = null;
  nfTs = 0;

  constructor(
    readonly key: string,
    readonly levelIndex: number,
    readonly bucket: number,
  ) {}

  /** Folds one stored point (NaN already null) in, as the upsert below merges two buckets. */
  add(step: number, value: number | null, ts: number): void {
    if (this.count === 0 || step < this.firstStep || (step === this.firstStep && ts < this.firstTs)) {
      this.firstStep = step;
      this.firstValue = value;
      this.firstTs = ts;
    }
    if (this.count === 0 || step > this.lastStep || (step === this.lastStep && ts >= this.lastTs)) {
      this.lastStep = step;
      this.lastValue = value;
      this.lastTs = ts;
    }
    this.count++;
    if (value === null || value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
      if (this.nfStep === null || step < this.nfStep) {
        this.nfStep = step;
        this.nfValue = value;
        this.nfTs = ts;
      }
      return;
    }
    if (this.minStep === null || value < this.minValue) {
      this.minStep = step;
      this.minValue = value;
      this.minTs = ts;
    }
    if (this.maxStep === null || value > this.maxValue) {
      this.maxStep = step;
      this.maxValue = value;
      this.maxTs = ts;
    }
  }
}

/** The buckets of one key: all of them per level, and the one the last point fell in (batches run in step order). */
class KeyBuckets {
  readonly byLevel = WIDTHS.map(() => new Map<number, Bucket>());
  readonly current: (Bucket | undefined)[] = WIDTHS.map(() => undefined);
  constructor(readonly key: string) {}
}

/** Folds a batch of stored points into rollup rows, one per (key, level, bucket), without per-point strings. */
export class RollupBuilder {
  private readonly keys = new Map<string, KeyBuckets>();

  /** Adds one point; `value` is null for NaN. */
  add(key: string, step: number, value: number | null, ts: number): void {
    let buckets = this.keys.get(key);
    if (!buckets) {
      buckets = new KeyBuckets(key);
      this.keys.set(key, buckets);
    }
    for (let l = 0; l < WIDTHS.length; l++) {
      const index = Math.floor(step / WIDTHS[l]!);
      let bucket = buckets.current[l];
      if (bucket === undefined || bucket.bucket !== index) {
        bucket = buckets.byLevel[l]!.get(index);
        if (!bucket) {
          bucket = new Bucket(key, l, index);
          buckets.byLevel[l]!.set(index, bucket);
        }
        buckets.current[l] = bucket;
      }
      bucket.add(step, value, ts);
    }
  }

  /**
   * The rows as column arrays for the upsert, ordered by (key, level id, bucket): concurrent writers
   * lock rows in one order and never deadlock (PostgreSQL).
   */
  columns(runId: string): { values: unknown[]; count: number } {
    const rows: Bucket[] = [];
    const keys = [...this.keys.keys()].sort();
    const levels = ROLLUP_LEVELS.map((l, index) => ({ id: l.level, index })).sort((a, b) => a.id - b.id);
    for (const key of keys) {
      const buckets = this.keys.get(key)!;
      for (const { index } of levels) {
        rows.push(...[...buckets.byLevel[index]!.values()].sort((a, b) => a.bucket - b.bucket));
      }
    }
    const n = rows.length;
    const column = <T>(get: (b: Bucket) => T) => {
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = get(rows[i]!);
      return out;
    };
    const values = [
      runId,
      column((b) => b.key),
      column((b) => ROLLUP_LEVELS[b.levelIndex]!.level),
      column((b) => b.bucket),
      column((b) => b.count),
      column((b) => b.firstStep),
      column((b) => b.firstValue),
      column((b) => b.firstTs),
      column((b) => b.lastStep),
      column((b) => b.lastValue),
      column((b) => b.lastTs),
      column((b) => b.minStep),
      column((b) => (b.minStep === null ? null : b.minValue)),
      column((b) => (b.minStep === null ? null : b.minTs)),
      column((b) => b.maxStep),
      column((b) => (b.maxStep === null ? null : b.maxValue)),
      column((b) => (b.maxStep === null ? null : b.maxTs)),
      column((b) => b.nfStep),
      column((b) => b.nfValue),
      column((b) => (b.nfStep === null ? null : b.nfTs)),
    ];
    return { values, count: n };
  }
}

const POINTS = ['first', 'last', 'min', 'max', 'nf'] as const;

const ROLLUP_COLUMNS: readonly BatchColumn[] = [
  { name: 'run_id', type: 'text', shared: true },
  { name: 'key', type: 'text' },
  { name: 'level', type: 'integer' },
  { name: 'bucket', type: 'bigint' },
  { name: 'count', type: 'bigint' },
  ...POINTS.flatMap((p): BatchColumn[] => [
    { name: `${p}_step`, type: 'bigint' },
    { name: `${p}_value`, type: 'double precision' },
    { name: `${p}_ts`, type: 'bigint' },
  ]),
];

/** `<point>_step = case when <cond> then excluded.… else metric_rollups.… end` for a point's three columns. */
function pick(point: (typeof POINTS)[number], condition: string): string {
  return ['step', 'value', 'ts']
    .map((s) => `${point}_${s} = case when ${condition} then excluded.${point}_${s} else r.${point}_${s} end`)
    .join(', ');
}

/**
 * Merges rollup rows into the stored ones (every SET expression reads the old row, as SQL specifies).
 * The same text on both databases; `metric_rollups as r` keeps it short.
 */
const MERGE = `on conflict (run_id, "key", "level", bucket) do update set count = r.count + excluded.count, ${[
  pick(
    'first',
    'excluded.first_step < r.first_step or (excluded.first_step = r.first_step and excluded.first_ts < r.first_ts)',
  ),
  pick(
    'last',
    'excluded.last_step > r.last_step or (excluded.last_step = r.last_step and excluded.last_ts >= r.last_ts)',
  ),
  pick('min', 'r.min_value is null or excluded.min_value < r.min_value'),
  pick('max', 'r.max_value is null or excluded.max_value > r.max_value'),
  pick('nf', 'r.nf_step is null or excluded.nf_step < r.nf_step'),
].join(', ')}`;

/** The upsert of a batch's rollup rows, compiled once for the dialect. */
export function createRollupUpsert(db: Kysely<Schema>, profile: DialectProfile) {
  const statement = createBatchStatement(db, profile, {
    table: 'metric_rollups as r',
    columns: ROLLUP_COLUMNS,
    suffix: MERGE,
  });
  return {
    /** Merges the builder's buckets into the stored rollups of the run. */
    async upsert(executor: Kysely<Schema>, runId: string, rollups: RollupBuilder): Promise<void> {
      const { values, count } = rollups.columns(runId);
      await statement.execute(executor, values, count);
    },
  };
}

/** The rollups of one history at one level whose buckets meet [startStep, endStep], in bucket order. */
export async function readRollups(
  db: Kysely<Schema>,
  runId: string,
  key: string,
  level: { level: number; width: number },
  range: { startStep?: number | undefined; endStep?: number | undefined },
): Promise<MetricRollupTable[]> {
  let query = db
    .selectFrom('metric_rollups')
    .selectAll()
    .where('run_id', '=', runId)
    .where('key', '=', key)
    .where('level', '=', level.level);
  if (range.startStep !== undefined)
    query = query.where('bucket', '>=', Math.floor(range.startStep / level.width));
  if (range.endStep !== undefined)
    query = query.where('bucket', '<=', Math.floor(range.endStep / level.width));
  return query.orderBy('bucket').execute();
}

/**
 * Appends the candidate points a rollup row keeps (first, last, min, max, first non-finite) to `out`,
 * deduplicated and in (step, timestamp) order, so rows read in bucket order give a sorted history.
 */
export function appendRollupPoints(rollup: MetricRollupTable, key: string, out: Metric[]): void {
  const start = out.length;
  add(out, start, key, rollup.first_step, rollup.first_value, rollup.first_ts);
  add(out, start, key, rollup.last_step, rollup.last_value, rollup.last_ts);
  add(out, start, key, rollup.min_step, rollup.min_value, rollup.min_ts);
  add(out, start, key, rollup.max_step, rollup.max_value, rollup.max_ts);
  add(out, start, key, rollup.nf_step, rollup.nf_value, rollup.nf_ts);
}

/** Inserts one point into out[start…] in (step, timestamp) order, unless an equal point is there already. */
function add(
  out: Metric[],
  start: number,
  key: string,
  step: number | null,
  value: number | null,
  ts: number | null,
): void {
  if (step === null) return;
  const s = Number(step);
  const t = Number(ts);
  const v = value === null ? Number.NaN : Number(value);
  for (let j = start; j < out.length; j++) {
    const p = out[j]!;
    if (p.step === s && p.timestamp === t && (p.value === v || (Number.isNaN(p.value) && Number.isNaN(v))))
      return;
  }
  let i = out.length;
  while (i > start && (out[i - 1]!.step > s || (out[i - 1]!.step === s && out[i - 1]!.timestamp > t))) i--;
  const point = { key, value: v, timestamp: t, step: s };
  if (i === out.length) out.push(point);
  else out.splice(i, 0, point);
}
