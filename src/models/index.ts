export {
  type TrainedModelPackageOptions,
  trainedModelSignature,
  writeTrainedModelPackage,
} from './export-package.js';
export * from './onnx/index.js';
export * from './package/index.js';
export * from './runtime/index.js';
export * from './trainers/index.js';
