export { type Background, type SummariseOptions, summariseBackground } from './background.js';
export { binomial, enumerateCoalitions, sampleCoalitions, shapleyKernel } from './coalitions.js';
export {
  createKernelExplainer,
  type KernelExplainer,
  type KernelExplainerOptions,
  type KernelExplainOptions,
  type Link,
  varyingFeatures,
} from './kernel-shap.js';
export { informationCriterionFit, type L1Reg, lassoCoordinateDescent, parseL1Reg } from './l1-select.js';
export { type LarsStep, larsPath } from './lars.js';
export { solveKernelRegression } from './solve.js';
