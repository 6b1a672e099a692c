import type { OnnxExportOptions } from '../onnx/index.js';
import type { FeatureRows } from './data.js';

/** A trained regressor: one prediction per row, exportable to ONNX. */
export interface RegressionModel {
  readonly kind: string;
  readonly nFeatures: number;
  /** Predicted value per row. */
  predict(X: FeatureRows): number[];
  /** ONNX bytes: float32 [N, F] `input` → `variable` float32 [N, 1]. */
  toOnnx(options?: OnnxExportOptions): Uint8Array;
}

/** A trained classifier over integer labels, exportable to ONNX. */
export interface ClassificationModel {
  readonly kind: string;
  readonly nFeatures: number;
  /** Distinct training labels, ascending; predictProba columns follow this order. */
  readonly classes: readonly number[];
  /** Predicted label per row (the most probable class, first on ties). */
  predict(X: FeatureRows): number[];
  /** Class probabilities per row, columns in `classes` order. */
  predictProba(X: FeatureRows): number[][];
  /** ONNX bytes: float32 [N, F] `input` → `label` int64 [N], `probabilities` float32 [N, C]. */
  toOnnx(options?: OnnxExportOptions): Uint8Array;
}
