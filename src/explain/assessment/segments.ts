import { invalidArgument } from '../../errors/index.js';
import { type Cell, compareLabels, isMissing, type Label } from './labels.js';

export interface SegmentResult<T> {
  segment: Label | null;
  count: number;
  metrics: T;
}

/**
 * Computes `metric` on the whole data and on every segment (rows sharing a value of `segments`;
 * missing values form their own segment, keyed null). `metric` receives the row indices, so it can
 * slice labels, predictions, weights or anything else.
 */
export function bySegment<T>(
  segments: readonly Cell[],
  metric: (rows: number[]) => T,
  options: { minCount?: number } = {},
): { overall: T; segments: SegmentResult<T>[] } {
  if (segments.length === 0) throw invalidArgument('no rows');
  const groups = new Map<Label | null, number[]>();
  segments.forEach((s, i) => {
    const key = isMissing(s) ? null : s;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : compareLabels(a, b)));
  const min = options.minCount ?? 1;
  return {
    overall: metric(segments.map((_, i) => i)),
    segments: keys
      .filter((k) => groups.get(k)!.length >= min)
      .map((k) => ({ segment: k, count: groups.get(k)!.length, metrics: metric(groups.get(k)!) })),
  };
}

/** Picks `values[i]` for each index. */
export function take<T>(values: readonly T[], rows: readonly number[]): T[] {
  return rows.map((i) => values[i]!);
}
