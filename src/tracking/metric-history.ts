import { invalidArgument } from '../errors/index.js';
import type { TrackingDeps } from './deps.js';
import { LIMITS, validateKey, validateMaxResults, validateRunId } from './limits.js';
import { appendRollupPoints, ROLLUP_LEVELS, readRollups } from './metric-rollups.js';
import { offsetToken, pageOffset } from './paging.js';
import { downsampleMetricHistory } from './query/index.js';
import { toMetric } from './run-reader.js';
import type { Metric, Page } from './types.js';

export interface SampledHistoryInput {
  runId: string;
  key: string;
  /** Upper bound on the points returned (default 1000, at most 25,000). */
  maxPoints?: number | undefined;
  startStep?: number | undefined;
  endStep?: number | undefined;
}

/** Up to this many points, a sampled history is computed from the raw points. */
const RAW_LIMIT = 20_000;

/** Reading metric histories: whole, paged, or downsampled for charts keeping every bucket's min and max. */
export function createMetricHistory({ database }: TrackingDeps) {
  const { db } = database;

  async function rawPoints(
    runId: string,
    key: string,
    startStep?: number,
    endStep?: number,
  ): Promise<Metric[]> {
    let query = historyQuery(runId, key);
    if (startStep !== undefined) query = query.where('step', '>=', startStep);
    if (endStep !== undefined) query = query.where('step', '<=', endStep);
    return (await query.orderBy('step').orderBy('timestamp').execute()).map(toMetric);
  }

  function historyQuery(runId: string, key: string) {
    return db
      .selectFrom('metrics')
      .select(['key', 'value', 'timestamp', 'step'])
      .where('run_id', '=', validateRunId(runId))
      .where('key', '=', validateKey(key, 'metric'));
  }

  return {
    /** The full history in (step, timestamp) order; paged when maxResults is given. */
    async history(
      runId: string,
      key: string,
      options: { maxResults?: number; pageToken?: string } = {},
    ): Promise<Page<Metric>> {
      const offset = pageOffset(options.pageToken);
      let query = historyQuery(runId, key).orderBy('step').orderBy('timestamp');
      if (options.maxResults === undefined) {
        const rows = await (offset > 0
          ? query.offset(offset).limit(Number.MAX_SAFE_INTEGER)
          : query
        ).execute();
        return { items: rows.map(toMetric), nextPageToken: undefined };
      }
      const max = validateMaxResults(options.maxResults, LIMITS.metricHistoryMax, LIMITS.metricHistoryMax);
      query = query.limit(max + 1).offset(offset);
      const rows = await query.execute();
      return {
        items: rows.slice(0, max).map(toMetric),
        nextPageToken: rows.length > max ? offsetToken(offset + max) : undefined,
      };
    },

    /**
     * A downsampled history for charts: at most maxPoints points, always including the first, last, min
     * and max. Long histories are read from the rollups (a few thousand rows whatever the length); the
     * partial buckets at the edges of a step window are read raw, so the window's extremes are exact.
     */
    async sampled(input: SampledHistoryInput): Promise<Metric[]> {
      const maxPoints = validateMaxResults(input.maxPoints, 1000, LIMITS.metricHistoryMax);
      const { startStep, endStep } = input;
      if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
        throw invalidArgument('start_step must not exceed end_step');
      }
      const runId = validateRunId(input.runId);
      const key = validateKey(input.key, 'metric');
      const coarsest = ROLLUP_LEVELS.length - 1;
      let rollups = await readRollups(db, runId, key, ROLLUP_LEVELS[coarsest]!, input);
      let total = 0;
      for (const rollup of rollups) total += Number(rollup.count);
      if (total <= RAW_LIMIT)
        return downsampleMetricHistory(await rawPoints(runId, key, startStep, endStep), maxPoints);
      // The coarsest level with enough buckets to fill maxPoints (4 points each): a finer level has at
      // most (coarse width / its width) times the coarse level's buckets, so hopeless levels are skipped.
      const wanted = maxPoints / 4;
      let level = coarsest;
      const coarseBuckets = rollups.length;
      while (level > 0 && rollups.length < wanted) {
        level--;
        const ratio = ROLLUP_LEVELS[coarsest]!.width / ROLLUP_LEVELS[level]!.width;
        if (level > 0 && (coarseBuckets + 2) * ratio < wanted) continue;
        rollups = await readRollups(db, runId, key, ROLLUP_LEVELS[level]!, input);
      }
      const { width } = ROLLUP_LEVELS[level]!;
      const candidates: Metric[] = [];
      for (const rollup of rollups) {
        const lo = Number(rollup.bucket) * width;
        const hi = lo + width - 1;
        const partial =
          (startStep !== undefined && startStep > lo) || (endStep !== undefined && endStep < hi);
        if (partial) {
          const raw = await rawPoints(runId, key, Math.max(lo, startStep ?? lo), Math.min(hi, endStep ?? hi));
          for (const point of raw) candidates.push(point);
        } else appendRollupPoints(rollup, key, candidates);
      }
      // Buckets come in order and each adds its points in (step, timestamp) order: already sorted.
      return downsampleMetricHistory(candidates, maxPoints);
    },
  };
}

export type MetricHistory = ReturnType<typeof createMetricHistory>;
