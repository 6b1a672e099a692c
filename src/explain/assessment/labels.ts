/** A class label or categorical value. */
export type Label = string | number | boolean;
/** A data column: numbers, strings or booleans; null / undefined / NaN mean missing. */
export type Cell = string | number | boolean | null | undefined;

/** True for null, undefined and NaN. */
export function isMissing(v: Cell): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Sorted distinct labels like numpy.unique: numbers ascending, then booleans (false < true), then
 * strings in code-unit order.
 */
export function uniqueLabels(...arrays: readonly (readonly Label[])[]): Label[] {
  const set = new Set<Label>();
  for (const a of arrays) for (const v of a) set.add(v);
  return [...set].sort(compareLabels);
}

/** Total order used by `uniqueLabels`. */
export function compareLabels(a: Label, b: Label): number {
  const rank = (v: Label) => (typeof v === 'number' ? 0 : typeof v === 'boolean' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
