/** Which algorithm produced an explanation. */
export type ShapMethod = 'kernel' | 'tree-path-dependent' | 'tree-interventional' | 'linear';

/**
 * SHAP attributions for a batch of rows. All arrays are output-first so one output's
 * attributions are a plain `[row][feature]` matrix. Local accuracy (Lundberg & Lee 2017, eq. 5):
 * `baseValues[k] + sum_j values[k][i][j] === outputs[k][i]`.
 */
export interface ShapExplanation {
  method: ShapMethod;
  featureNames: string[];
  /** E[f(X)] per output in the explained space (raw margin for trees/logistic, link space for Kernel). */
  baseValues: number[];
  /** `values[output][row][feature]`. */
  values: number[][][];
  /** `outputs[output][row]`: f(x) in the explained space. */
  outputs: number[][];
  /** The explained rows. */
  data: number[][];
  /** Algorithm parameters worth persisting with the result (seed, sample count, background size...). */
  details: Record<string, number | string | boolean>;
}

/** Default names `x0..x{m-1}` unless the caller provided them. */
export function featureNamesOrDefault(m: number, names?: readonly string[]): string[] {
  if (names !== undefined && names.length === m) return [...names];
  return Array.from({ length: m }, (_, j) => `x${j}`);
}

/** Largest |base + sum(values) - output| over all rows and outputs: the local-accuracy error. */
export function additivityError(e: ShapExplanation): number {
  let worst = 0;
  e.values.forEach((rows, k) => {
    rows.forEach((phi, i) => {
      const total = phi.reduce((a, b) => a + b, e.baseValues[k]!);
      worst = Math.max(worst, Math.abs(total - e.outputs[k]![i]!));
    });
  });
  return worst;
}
