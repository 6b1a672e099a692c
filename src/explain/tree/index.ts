export { coverFraction, coversAreConsistent, withCoversFromData } from './covers.js';
export { fromOnnxTreeAttributes, type OnnxTreeAttributes } from './from-onnx.js';
export {
  applyPostTransform,
  goesLeft,
  leafIndex,
  normalQuantile,
  predictRaw,
  predictTransformed,
} from './predict.js';
export {
  type Aggregate,
  createTree,
  maxDepth,
  NODE_MODES,
  type NodeMode,
  type PostTransform,
  type Tree,
  type TreeEnsemble,
  type TreeSpec,
  validateEnsemble,
} from './tree-ensemble.js';
export { type FeaturePerturbation, type TreeShapOptions, treeShap } from './tree-shap.js';
export { interventionalValue, pathDependentValue } from './value-functions.js';
