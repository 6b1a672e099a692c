/**
 * Distribution distances between a reference profile and a current one, as TFDV's drift
 * comparators: the L∞ norm between normalised categorical frequencies
 * (`COMPARATOR_L_INFTY_HIGH`) and the Jensen–Shannon divergence between numeric histograms
 * on the same bins (`COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH`).
 */
import { jensenShannonDistance } from '../../monitoring/index.js';
import type { ColumnProfile, Histogram } from './types.js';

/** max_v |p(v) − q(v)| over the values of both columns' top lists, and the value where it peaks. */
export function lInfinityDistance(
  reference: ColumnProfile,
  current: ColumnProfile,
): { distance: number; value: string | undefined } {
  const p = shares(reference);
  const q = shares(current);
  let distance = 0;
  let value: string | undefined;
  for (const v of new Set([...p.keys(), ...q.keys()])) {
    const d = Math.abs((p.get(v) ?? 0) - (q.get(v) ?? 0));
    if (d > distance) {
      distance = d;
      value = v;
    }
  }
  return { distance, value };
}

/**
 * Jensen–Shannon divergence (base 2, in [0, 1]) between two histograms over the same edges,
 * counting the open bins below and above; the square of the monitoring library's JS distance.
 */
export function jensenShannonDivergence(reference: Histogram, current: Histogram): number | undefined {
  const p = [reference.below, ...reference.counts, reference.above];
  const q = [current.below, ...current.counts, current.above];
  if (p.length !== q.length) throw new Error('histograms compared on different bins');
  if (p.every((x) => x === 0) || q.every((x) => x === 0)) return undefined;
  return jensenShannonDistance(p, q, 2) ** 2;
}

function shares(column: ColumnProfile): Map<string, number> {
  const total = column.count;
  return new Map(column.topValues.map((t) => [t.value, total === 0 ? 0 : t.count / total]));
}
