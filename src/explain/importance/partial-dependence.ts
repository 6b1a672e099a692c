import { invalidArgument } from '../../errors/index.js';
import { callModel, type PredictFn } from '../common/model.js';
import { linspace, mquantile, sortedCopy, uniqueSorted } from '../common/stats.js';
import { assertInt, assertMatrix } from '../common/validate.js';

export interface PartialDependenceOptions {
  predict: PredictFn;
  X: number[][];
  /** One feature, or two for a two-way partial dependence over the grid's cartesian product. */
  features: number | [number, number];
  /** Grid points per feature when not using the unique values (default 100, as sklearn). */
  gridResolution?: number;
  /** Grid range as quantiles of the column (default [0.05, 0.95], as sklearn). */
  percentiles?: [number, number];
  /** Explicit grid values per feature (overrides gridResolution/percentiles). */
  grid?: number[][];
  /** 'average' (PD), 'individual' (ICE) or 'both' (default 'average'). */
  kind?: 'average' | 'individual' | 'both';
  /** Rows per model call (default 8192). */
  maxBatchRows?: number;
}

export interface PartialDependenceResult {
  features: number[];
  /** Grid values per feature. */
  grid: number[][];
  /** Grid points in evaluation order (one value per feature each). */
  points: number[][];
  /** `average[output][point]`: mean prediction with the feature(s) set to the point (Friedman 2001). */
  average?: number[][];
  /** `individual[output][row][point]`: ICE curves (Goldstein et al. 2015). */
  individual?: number[][][];
}

/**
 * Partial dependence and ICE curves by brute force (sklearn `partial_dependence(method='brute')`
 * semantics): every row of X is evaluated with the feature(s) replaced by each grid point. The
 * default grid is sklearn's: the column's unique values if fewer than gridResolution, else
 * gridResolution evenly spaced points between the (0.05, 0.95) mquantiles of the column.
 */
export async function partialDependence(opts: PartialDependenceOptions): Promise<PartialDependenceResult> {
  const m = assertMatrix('X', opts.X);
  const features = typeof opts.features === 'number' ? [opts.features] : [...opts.features];
  for (const f of features) assertInt('feature index', f, 0, m - 1);
  const kind = opts.kind ?? 'average';
  const grid =
    opts.grid ?? features.map((f) => defaultGrid(opts.X.map((r) => r[f]!).filter(Number.isFinite), opts));
  if (grid.length !== features.length || grid.some((g) => g.length === 0)) {
    throw invalidArgument('grid must give a non-empty list of values per feature');
  }
  const points =
    grid.length === 1 ? grid[0]!.map((v) => [v]) : grid[0]!.flatMap((a) => grid[1]!.map((b) => [a, b]));
  const n = opts.X.length;
  const perCall = Math.max(1, Math.floor((opts.maxBatchRows ?? 8192) / n));
  const preds: number[][][] = []; // [point][row][output]
  for (let start = 0; start < points.length; start += perCall) {
    const batch = points.slice(start, start + perCall);
    const rows = batch.flatMap((pt) =>
      opts.X.map((x) => {
        const row = [...x];
        features.forEach((f, i) => {
          row[f] = pt[i]!;
        });
        return row;
      }),
    );
    const out = await callModel(opts.predict, rows);
    batch.forEach((_, b) => {
      preds.push(out.slice(b * n, (b + 1) * n));
    });
  }
  const k = preds[0]![0]!.length;
  const result: PartialDependenceResult = { features, grid, points };
  if (kind !== 'individual') {
    result.average = Array.from({ length: k }, (_, o) =>
      preds.map((rows) => rows.reduce((a, r) => a + r[o]!, 0) / n),
    );
  }
  if (kind !== 'average') {
    result.individual = Array.from({ length: k }, (_, o) =>
      opts.X.map((_, i) => preds.map((rows) => rows[i]![o]!)),
    );
  }
  return result;
}

/** sklearn's `_grid_from_X` for one numeric column (pass finite values only). */
export function defaultGrid(
  column: number[],
  opts: { gridResolution?: number; percentiles?: [number, number] } = {},
): number[] {
  const resolution = opts.gridResolution ?? 100;
  assertInt('gridResolution', resolution, 2);
  const [lo, hi] = opts.percentiles ?? [0.05, 0.95];
  if (!(lo >= 0 && hi <= 1 && lo < hi))
    throw invalidArgument('percentiles must satisfy 0 <= low < high <= 1');
  const uniques = uniqueSorted(column);
  if (uniques.length < resolution) return uniques;
  const sorted = sortedCopy(column);
  const a = mquantile(sorted, lo);
  const b = mquantile(sorted, hi);
  if (Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b))
    throw invalidArgument('percentiles are too close to build a grid');
  return linspace(a, b, resolution);
}
