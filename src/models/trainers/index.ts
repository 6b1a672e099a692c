export { createRng, type Rng } from '../../random/index.js';
export type { GrownTree } from './cart.js';
export { argmax, type FeatureRows } from './data.js';
export {
  type BlobsOptions,
  type Dataset,
  type LinearOptions,
  type MoonsOptions,
  makeBlobs,
  makeLinear,
  makeMoons,
  makeXor,
  type XorOptions,
} from './datasets.js';
export {
  type DecisionTreeClassifierModel,
  type DecisionTreeClassifierOptions,
  type DecisionTreeRegressorModel,
  type DecisionTreeRegressorOptions,
  trainDecisionTreeClassifier,
  trainDecisionTreeRegressor,
} from './decision-tree.js';
export {
  type GradientBoostingClassifierModel,
  type GradientBoostingOptions,
  type GradientBoostingRegressorModel,
  trainGradientBoostingClassifier,
  trainGradientBoostingRegressor,
} from './gradient-boosting.js';
export {
  createLinearRegressionModel,
  type LinearRegressionModel,
  type LinearRegressionOptions,
  trainLinearRegression,
} from './linear-regression.js';
export {
  createLogisticRegressionModel,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
  trainLogisticRegression,
} from './logistic-regression.js';
export {
  type MlpClassifierModel,
  type MlpOptions,
  type MlpRegressorModel,
  trainMlpClassifier,
  trainMlpRegressor,
} from './mlp.js';
export type { ClassificationModel, RegressionModel } from './model-types.js';
export {
  type RandomForestClassifierModel,
  type RandomForestClassifierOptions,
  type RandomForestOptions,
  type RandomForestRegressorModel,
  trainRandomForestClassifier,
  trainRandomForestRegressor,
} from './random-forest.js';
export type { TreeGrowthOptions } from './tree-options.js';
