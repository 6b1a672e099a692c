export {
  IsolationForestDetector,
  type IsolationForestOptions,
  type IsolationForestState,
} from './isolation-forest.js';
export { growTree, type IsolationTree, pathLength } from './isolation-tree.js';
export { MahalanobisDetector, type MahalanobisOptions, type MahalanobisState } from './mahalanobis.js';
export { OnlineCovariance, type OnlineCovarianceState } from './online-covariance.js';
export { averagePathLength, harmonic } from './path-length.js';
export { RobustZScoreDetector, type RobustZScoreOptions, type RobustZScoreState } from './robust-z-score.js';
export { quantileThreshold } from './threshold.js';
