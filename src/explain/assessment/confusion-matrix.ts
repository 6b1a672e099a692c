import { invalidArgument } from '../../errors/index.js';
import { normaliseWeights } from '../common/validate.js';
import { type Label, uniqueLabels } from './labels.js';

export interface ConfusionMatrix {
  /** Row/column order: true labels down, predicted labels across. */
  labels: Label[];
  /** `matrix[i][j]`: (weighted) count with true label i predicted as j. */
  matrix: number[][];
}

export interface ConfusionOptions {
  /** Label order (default: sorted union of both arrays, like sklearn). Others are ignored. */
  labels?: Label[];
  sampleWeight?: number[];
  /** 'true' (rows sum to 1), 'pred' (columns), 'all'; 0/0 becomes 0 as in sklearn. */
  normalize?: 'true' | 'pred' | 'all';
}

/** Multi-class confusion matrix with sklearn.metrics.confusion_matrix semantics. */
export function confusionMatrix(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  options: ConfusionOptions = {},
): ConfusionMatrix {
  if (yTrue.length !== yPred.length) throw invalidArgument('yTrue and yPred differ in length');
  if (yTrue.length === 0) throw invalidArgument('no samples');
  const labels = options.labels ?? uniqueLabels(yTrue, yPred);
  const index = new Map<Label, number>(labels.map((l, i) => [l, i]));
  const w = options.sampleWeight
    ? normaliseWeights('sampleWeight', yTrue.length, options.sampleWeight).map(
        (v) => v * sumOf(options.sampleWeight!),
      )
    : undefined;
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  yTrue.forEach((t, i) => {
    const r = index.get(t);
    const c = index.get(yPred[i]!);
    if (r !== undefined && c !== undefined) matrix[r]![c]! += w ? w[i]! : 1;
  });
  if (options.normalize) normalise(matrix, options.normalize);
  return { labels, matrix };
}

function normalise(m: number[][], how: 'true' | 'pred' | 'all'): void {
  const k = m.length;
  const div = (v: number, d: number) => (d === 0 ? 0 : v / d);
  if (how === 'all') {
    const total = m.reduce((a, row) => a + sumOf(row), 0);
    for (const row of m) for (let j = 0; j < k; j++) row[j] = div(row[j]!, total);
  } else if (how === 'true') {
    for (const row of m) {
      const s = sumOf(row);
      for (let j = 0; j < k; j++) row[j] = div(row[j]!, s);
    }
  } else {
    for (let j = 0; j < k; j++) {
      const s = m.reduce((a, row) => a + row[j]!, 0);
      for (const row of m) row[j] = div(row[j]!, s);
    }
  }
}

function sumOf(v: readonly number[]): number {
  return v.reduce((a, b) => a + b, 0);
}
