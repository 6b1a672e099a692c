/**
 * Osprey monitoring: the detector library (pure: no server, store or model runtime needed), and
 * `monitors/`, which evaluates detectors over a deployment's payload log and stores results and alerts.
 *
 * - Univariate two-sample tests matching scipy (`stats`): ks2Samp, cramerVonMises2Samp,
 *   chi2Contingency, fisherExact, twoProportionZTest, distances (Wasserstein, Jensen–Shannon, PSI),
 *   Bonferroni / Benjamini–Hochberg corrections.
 * - Drift detectors: TabularDriftDetector (per feature, Evidently's automatic test choice, share or
 *   corrected dataset decision), MmdDriftDetector (kernel two-sample permutation test),
 *   ClassifierDriftDetector (cross-validated domain classifier).
 * - Outlier detectors: IsolationForestDetector, MahalanobisDetector (online), RobustZScoreDetector.
 * - Adversarial inputs: PredictionStabilityDetector around any `predict(batch)` function.
 * - Online use: sliding / tumbling windows over any detector.
 * - Delayed-label performance metrics (accuracy, P/R/F1, ROC AUC, log loss, RMSE, MAE).
 *
 * Every detector: `fit(reference)`, `predict(data)`, `toJSON()` → plain JSON, static `fromJSON`
 * (or `loadDetector(state)`); everything random runs on a seeded RNG saved in the state.
 */

export { createRng, type Rng, type RngState } from '../random/index.js';
export {
  type PredictFn,
  PredictionStabilityDetector,
  type Squeezer,
  type StabilityOptions,
} from './adversarial/index.js';
export {
  ClassifierDriftDetector,
  type ClassifierDriftOptions,
  type FeatureSpec,
  fitLogisticRegression,
  MmdDriftDetector,
  type MmdDriftOptions,
  predictLogistic,
  TabularDriftDetector,
  type TabularDriftOptions,
  TEST_NAMES,
  type TestName,
} from './drift/index.js';
export { type AnyDetector, loadDetector, type SavedDetectorState } from './load-detector.js';
export {
  type AlertRuleSpec,
  createMonitoring,
  createWebhookNotifier,
  type EvaluationReport,
  type FeedbackRecord,
  type MonitorAlert,
  type Monitoring,
  type MonitoringDeps,
  type MonitorRecord,
  type MonitorResult,
  type MonitorSpec,
  parseMonitorSpec,
  validateMonitorSpec,
  type WebhookNotifier,
} from './monitors/index.js';
export {
  averagePathLength,
  IsolationForestDetector,
  type IsolationForestOptions,
  MahalanobisDetector,
  type MahalanobisOptions,
  OnlineCovariance,
  RobustZScoreDetector,
  type RobustZScoreOptions,
} from './outlier/index.js';
export {
  type Average,
  accuracy,
  logLoss,
  mae,
  precisionRecallF1,
  rmse,
  rocAuc,
} from './performance/index.js';
export {
  type Alternative,
  aucTest,
  type Binning,
  benjaminiHochberg,
  binCounts,
  binShares,
  bonferroni,
  type Chi2ContingencyResult,
  type Correction,
  type CorrectionResult,
  type CvmResult,
  chi2Contingency,
  chi2Sf,
  correctPValues,
  cramerVonMises2Samp,
  type FisherResult,
  fisherExact,
  jensenShannonDistance,
  type KsResult,
  kolmogorovSf,
  ks2Samp,
  lowerBound,
  normalizedWasserstein,
  populationStabilityIndex,
  quantile,
  quantileSorted,
  twoProportionZTest,
  upperBound,
  wassersteinDistance,
} from './stats/index.js';
export type {
  AdversarialResult,
  AsyncDetector,
  CellValue,
  ColumnarData,
  Detector,
  DetectorState,
  DriftResult,
  FeatureDriftResult,
  OutlierResult,
  TabularInput,
  TestKind,
} from './types.js';
export {
  type BatchPredictor,
  createSlidingWindow,
  createTumblingWindow,
  type SampleOf,
  StreamWindow,
  type WindowOptions,
  type WindowState,
  windowed,
} from './window/index.js';
