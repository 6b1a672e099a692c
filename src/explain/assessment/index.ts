export {
  type AssociationMeasure,
  type AssociationOptions,
  association,
  associationMatrix,
  type ColumnKind,
  type Columns,
  columnKind,
} from './associations.js';
export {
  averagePrecision,
  type BinaryScoreOptions,
  binaryClfCurve,
  type PrCurve,
  precisionRecallCurve,
  type RocCurve,
  rocAuc,
  rocCurve,
  trapezoid,
} from './binary-curves.js';
export { type CalibrationBin, type CalibrationCurve, calibrationCurve } from './calibration.js';
export { type ClassBalance, classBalance } from './class-balance.js';
export {
  type Averaged,
  brierScore,
  type ClassificationMetrics,
  classificationMetrics,
  logLoss,
  type PerClass,
} from './classification-metrics.js';
export { type ConfusionMatrix, type ConfusionOptions, confusionMatrix } from './confusion-matrix.js';
export {
  type Contingency,
  type Correlation,
  chiSquareIndependence,
  contingencyTable,
  correlationRatio,
  cramersV,
  pearson,
  spearman,
} from './correlation.js';
export { type Cell, compareLabels, isMissing, type Label, uniqueLabels } from './labels.js';
export {
  detectProtectedAttributes,
  nameTokens,
  type ProtectedAttributeOptions,
  type ProtectedAttributeReport,
  type ProtectedCategory,
  type ProtectedMatch,
  type ProxyMatch,
} from './protected-attributes.js';
export { type RegressionMetrics, regressionMetrics } from './regression-metrics.js';
export {
  type CategoricalRepresentation,
  type CategoryShare,
  compareToReferenceSample,
  compareToReferenceShares,
  type NumericRepresentation,
} from './representativeness.js';
export { bySegment, type SegmentResult, take } from './segments.js';
export { type ThresholdAnalysis, type ThresholdRow, thresholdAnalysis } from './thresholds.js';
