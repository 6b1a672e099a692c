import { invalidArgument } from '../../errors/index.js';
import { createRng } from '../../random/index.js';
import { assertInt, assertMatrix } from '../common/validate.js';

/** A (possibly summarised) background dataset: rows and their weights (summing to 1). */
export interface Background {
  data: number[][];
  weights: number[];
  /** How it was produced, for provenance (persist it with the explanation; shap #1224). */
  summary: string;
}

export interface SummariseOptions {
  method: 'kmeans' | 'sample';
  /** Number of rows (clusters) to keep. */
  k: number;
  seed?: number;
  /** k-means only: snap each centre coordinate to the nearest value seen in that column (default true). */
  roundValues?: boolean;
  /** k-means only: Lloyd iterations (default 100). */
  maxIterations?: number;
}

/**
 * Shrinks a background set, since KernelSHAP costs one model row per coalition per background row:
 * 'sample' keeps k rows drawn without replacement (equal weights); 'kmeans' runs k-means++ seeding
 * (Arthur & Vassilvitskii 2007) then Lloyd iterations and weights each centre by its cluster size,
 * like shap.kmeans (whose round_values also snaps centres onto observed values so one-hot or integer
 * columns stay valid).
 */
export function summariseBackground(data: number[][], options: SummariseOptions): Background {
  const m = assertMatrix('background', data);
  assertInt('k', options.k, 1);
  const rng = createRng(options.seed ?? 0);
  if (options.k >= data.length) {
    return { data: data.map((r) => [...r]), weights: data.map(() => 1 / data.length), summary: 'full' };
  }
  if (options.method === 'sample') {
    const idx = rng.sampleIndices(data.length, options.k);
    return {
      data: idx.map((i) => [...data[i]!]),
      weights: idx.map(() => 1 / options.k),
      summary: `sample(${options.k}, seed=${options.seed ?? 0})`,
    };
  }
  if (options.method !== 'kmeans')
    throw invalidArgument(`unknown background summary method '${String(options.method)}'`);
  for (const row of data)
    if (row.some((v) => !Number.isFinite(v))) throw invalidArgument('k-means needs finite values');

  const k = options.k;
  const dist2 = (a: readonly number[], b: readonly number[]) => {
    let s = 0;
    for (let j = 0; j < m; j++) s += (a[j]! - b[j]!) ** 2;
    return s;
  };
  // k-means++ seeding: each next centre drawn with probability proportional to squared distance.
  const centres: number[][] = [[...data[rng.int(data.length)]!]];
  const nearest = data.map((row) => dist2(row, centres[0]!));
  while (centres.length < k) {
    const total = nearest.reduce((a, b) => a + b, 0);
    let pick = 0;
    if (total > 0) {
      let u = rng.next() * total;
      while (pick < data.length - 1 && u >= nearest[pick]!) u -= nearest[pick++]!;
    } else pick = rng.int(data.length);
    const c = [...data[pick]!];
    centres.push(c);
    data.forEach((row, i) => {
      nearest[i] = Math.min(nearest[i]!, dist2(row, c));
    });
  }
  const assign = new Int32Array(data.length).fill(-1);
  for (let iter = 0; iter < (options.maxIterations ?? 100); iter++) {
    let changed = false;
    data.forEach((row, i) => {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      centres.forEach((c, j) => {
        const d = dist2(row, c);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      });
      if (assign[i] !== best) {
        assign[i] = best;
        changed = true;
      }
    });
    if (!changed) break;
    const sums = centres.map(() => new Array<number>(m).fill(0));
    const counts = new Array<number>(k).fill(0);
    data.forEach((row, i) => {
      const a = assign[i]!;
      counts[a]!++;
      for (let j = 0; j < m; j++) sums[a]![j]! += row[j]!;
    });
    // An emptied cluster keeps its previous centre.
    counts.forEach((cnt, a) => {
      if (cnt > 0) centres[a] = sums[a]!.map((s) => s / cnt);
    });
  }
  const counts = new Array<number>(k).fill(0);
  for (const a of assign) counts[a]!++;
  if (options.roundValues ?? true) {
    for (let j = 0; j < m; j++) {
      const column = [...new Set(data.map((r) => r[j]!))].sort((a, b) => a - b);
      for (const c of centres) c[j] = nearestValue(column, c[j]!);
    }
  }
  const keep = counts.map((c, i) => (c > 0 ? i : -1)).filter((i) => i >= 0);
  return {
    data: keep.map((i) => centres[i]!),
    weights: keep.map((i) => counts[i]! / data.length),
    summary: `kmeans(${k}, seed=${options.seed ?? 0})`,
  };
}

function nearestValue(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  const above = sorted[lo]!;
  const below = sorted[Math.max(0, lo - 1)]!;
  return Math.abs(v - below) <= Math.abs(above - v) ? below : above;
}
