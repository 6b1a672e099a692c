export { type AutoRule, selectTest } from './auto-select.js';
export {
  ClassifierDriftDetector,
  type ClassifierDriftOptions,
  type ClassifierDriftState,
} from './classifier-drift.js';
export { type Category, type ColumnType, inferColumnType, isMissing, toColumns } from './columns.js';
export {
  fitLogisticRegression,
  type LogisticModel,
  type LogisticOptions,
  predictLogistic,
} from './logistic-regression.js';
export { MmdDriftDetector, type MmdDriftOptions, type MmdDriftState } from './mmd-drift.js';
export { medianHeuristicSigma } from './rbf-kernel.js';
export {
  type FeatureSpec,
  TabularDriftDetector,
  type TabularDriftOptions,
  type TabularDriftState,
} from './tabular-drift.js';
export { getTest, TEST_NAMES, type TestName } from './univariate-tests.js';
