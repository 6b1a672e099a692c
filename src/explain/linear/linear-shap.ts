import { invalidArgument } from '../../errors/index.js';
import { featureNamesOrDefault, type ShapExplanation } from '../common/explanation.js';
import { assertFiniteVector, assertMatrix, normaliseWeights } from '../common/validate.js';

/** A linear or generalised linear model: margin_k(x) = intercept_k + sum_j coefficients[k][j] x_j. */
export interface LinearModel {
  /** One row of weights (single output) or one per output (e.g. multinomial logistic). */
  coefficients: number[] | number[][];
  intercept?: number | number[];
}

export interface LinearShapOptions {
  /** Background rows whose (weighted) column means are E[x]; or give `means` directly. */
  background?: number[][];
  backgroundWeights?: number[];
  means?: number[];
  featureNames?: string[];
}

/**
 * Exact SHAP values of a linear model under feature independence (interventional):
 * phi_kj = w_kj (x_j - E[x_j]) (Lundberg & Lee 2017, sec. 5.1 "Linear SHAP"; shap LinearExplainer).
 * For logistic / softmax models this explains the margin (log-odds), where the model is additive.
 */
export function linearShap(
  model: LinearModel,
  rows: number[][],
  options: LinearShapOptions = {},
): ShapExplanation {
  const coefs = (
    Array.isArray(model.coefficients[0]) ? model.coefficients : [model.coefficients]
  ) as number[][];
  const m = coefs[0]!.length;
  if (m === 0) throw invalidArgument('coefficients must not be empty');
  coefs.forEach((c, k) => {
    assertFiniteVector(`coefficients[${k}]`, c, m);
  });
  const k = coefs.length;
  const intercept =
    model.intercept === undefined
      ? new Array<number>(k).fill(0)
      : typeof model.intercept === 'number'
        ? [model.intercept]
        : model.intercept;
  assertFiniteVector('intercept', intercept, k);
  assertMatrix('rows', rows, m);
  const means = columnMeans(m, options);

  const margin = (x: readonly number[], o: number) =>
    coefs[o]!.reduce((acc, w, j) => acc + w * x[j]!, intercept[o]!);
  return {
    method: 'linear',
    featureNames: featureNamesOrDefault(m, options.featureNames),
    baseValues: coefs.map((_, o) => margin(means, o)),
    values: coefs.map((w) => rows.map((x) => w.map((wj, j) => wj * (x[j]! - means[j]!)))),
    outputs: coefs.map((_, o) => rows.map((x) => margin(x, o))),
    data: rows.map((r) => [...r]),
    details: { featurePerturbation: 'interventional', space: 'margin' },
  };
}

function columnMeans(m: number, options: LinearShapOptions): number[] {
  if (options.means) {
    assertFiniteVector('means', options.means, m);
    return [...options.means];
  }
  if (!options.background) throw invalidArgument('linear SHAP needs a background dataset or feature means');
  assertMatrix('background', options.background, m);
  const w = normaliseWeights('backgroundWeights', options.background.length, options.backgroundWeights);
  const means = new Array<number>(m).fill(0);
  options.background.forEach((row, i) => {
    for (let j = 0; j < m; j++) means[j]! += w[i]! * row[j]!;
  });
  return means;
}
