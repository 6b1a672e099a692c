import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { linearRegressionToOnnx, type OnnxExportOptions } from '../onnx/index.js';
import { type FeatureRows, toDesign, toTargets } from './data.js';
import type { RegressionModel } from './model-types.js';

/** Options for {@link trainLinearRegression}. */
export interface LinearRegressionOptions {
  /** Fit an intercept column (default true). */
  fitIntercept?: boolean;
}

/** Ordinary least squares: y ≈ X·coefficients + intercept. */
export interface LinearRegressionModel extends RegressionModel {
  readonly kind: 'linear_regression';
  readonly coefficients: readonly number[];
  readonly intercept: number;
}

/**
 * Least squares through the SVD of [X, 1] (ml-matrix), i.e. the minimum-norm solution numpy.linalg.lstsq
 * returns, so rank-deficient designs still give an answer.
 */
export function trainLinearRegression(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: LinearRegressionOptions = {},
): LinearRegressionModel {
  const { data, n, f } = toDesign(X);
  const targets = toTargets(y, n);
  const fitIntercept = options.fitIntercept ?? true;
  const cols = fitIntercept ? f + 1 : f;
  const a = new Matrix(n, cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) a.set(i, j, data[i * f + j]!);
    if (fitIntercept) a.set(i, f, 1);
  }
  const theta = new SingularValueDecomposition(a, { autoTranspose: true }).solve(
    Matrix.columnVector(Array.from(targets)),
  );
  const coefficients = Array.from({ length: f }, (_, j) => theta.get(j, 0));
  const intercept = fitIntercept ? theta.get(f, 0) : 0;
  return createLinearRegressionModel(coefficients, intercept);
}

/** Wraps known coefficients as a model (predict + ONNX export). */
export function createLinearRegressionModel(
  coefficients: readonly number[],
  intercept: number,
): LinearRegressionModel {
  const nFeatures = coefficients.length;
  return {
    kind: 'linear_regression',
    nFeatures,
    coefficients: [...coefficients],
    intercept,
    predict(rows: FeatureRows): number[] {
      const { data, n } = toDesign(rows, nFeatures);
      return Array.from({ length: n }, (_, i) => {
        let s = intercept;
        for (let j = 0; j < nFeatures; j++) s += data[i * nFeatures + j]! * coefficients[j]!;
        return s;
      });
    },
    toOnnx(exportOptions?: OnnxExportOptions): Uint8Array {
      return linearRegressionToOnnx({ coefficients: [coefficients], intercepts: [intercept] }, exportOptions);
    },
  };
}
