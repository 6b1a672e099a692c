export {
  attr,
  DEFAULT_IR_VERSION,
  DEFAULT_OPSET,
  floatTensor,
  int64Tensor,
  ML_DOMAIN,
  ML_OPSET,
  makeModel,
  makeNode,
  type OnnxExportOptions,
  tensorValue,
} from './builders.js';
export { encodeOnnxModel } from './encode-model.js';
export { evaluateTreeEnsemble, type TreeEnsembleOutput } from './evaluate-tree-ensemble.js';
export {
  type LinearModelParams,
  type LogisticRegressionParams,
  linearRegressionToOnnx,
  logisticRegressionToOnnx,
} from './linear-models.js';
export { type DenseLayerParams, type MlpActivation, type MlpParams, mlpToOnnx } from './mlp.js';
export { ONNX_PROTO_SUBSET } from './onnx-proto.js';
export { readOnnxModel } from './read-model.js';
export { readTreeEnsemble } from './read-tree-ensemble.js';
export { type TreeEnsembleExportOptions, treeEnsembleToOnnx, validateTreeEnsemble } from './tree-ensemble.js';
export type {
  AggregateFunction,
  PostTransform,
  TreeEnsembleAttributes,
  TreeEnsembleClassifierAttributes,
  TreeEnsembleNodeAttributes,
  TreeEnsembleRegressorAttributes,
  TreeNodeMode,
} from './tree-ensemble-attributes.js';
export {
  type ClassifierBuildOptions,
  type RegressorBuildOptions,
  type TreeStructure,
  treeEnsembleClassifierAttributes,
  treeEnsembleRegressorAttributes,
} from './tree-structure.js';
export {
  type OnnxAttribute,
  type OnnxDim,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxOpsetId,
  type OnnxTensor,
  type OnnxType,
  type OnnxValueInfo,
  TENSOR_ELEMENT_TYPES,
  type TensorElementType,
} from './types.js';
