/**
 * Automatic choice of the per-feature test.
 *
 * `evidently` reproduces Evidently's default selection (legacy `_get_default_stattest`):
 * n_unique counts distinct values over reference ∪ current, size is the number of reference rows.
 *
 * | column                       | reference rows <= 1000 | > 1000         |
 * |------------------------------|------------------------|----------------|
 * | numerical, n_unique > 5      | ks                     | wasserstein    |
 * | numerical, 3..5 unique       | chi2                   | jensen-shannon |
 * | any, n_unique <= 2           | z                      | jensen-shannon |
 * | categorical, n_unique > 2    | chi2                   | jensen-shannon |
 *
 * `p-value` is used with Bonferroni / FDR combination, where every feature needs a p-value
 * (Alibi's TabularDrift): ks for numerical columns with more than 5 distinct values, chi2
 * otherwise.
 *
 * Our chi2 is the contingency (homogeneity) test of Alibi, not Evidently's goodness-of-fit
 * variant, so a category absent from the reference cannot give an infinite statistic.
 */
import type { ColumnSample } from './column-sample.js';
import { distinctCount } from './column-sample.js';
import type { TestName } from './univariate-tests.js';

export type AutoRule = 'evidently' | 'p-value';

/** Picks the test for one feature from its type, the distinct values and the reference size. */
export function selectTest(
  reference: ColumnSample,
  current: ColumnSample,
  referenceRows: number,
  rule: AutoRule,
): TestName {
  const nUnique = distinctCount(reference, current);
  const numerical = reference.type === 'numerical';
  if (rule === 'p-value') return numerical && nUnique > 5 ? 'ks' : 'chi2';
  if (referenceRows <= 1000) {
    if (numerical && nUnique > 5) return 'ks';
    return nUnique > 2 ? 'chi2' : 'z';
  }
  return numerical && nUnique > 5 ? 'wasserstein' : 'jensen-shannon';
}
