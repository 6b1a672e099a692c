export { BUILTIN_RUNTIMES, createPredictor, loadPredictor } from './create-predictor.js';
export { createJsRuntime, type JsModel } from './js/js-runtime.js';
export { fromOipTensors, type OipTensor, signatureFromOipMetadata, toOipTensors } from './oip-json.js';
export { fromFloat16Bits, toFloat16Bits } from './onnx/float16.js';
export { createOnnxRuntime, type OnnxRuntime } from './onnx/onnx-runtime.js';
export {
  type PredictFileDeps,
  type PredictFileInput,
  type PredictFileOutput,
  type PredictFileResult,
  type PredictInput,
  predictFile,
  readPredictInput,
} from './predict-file.js';
export type {
  ModelRuntime,
  NamedTensors,
  OnnxRuntimeOptions,
  Predictor,
  PredictorOptions,
  RemoteRuntimeOptions,
  RuntimeFactory,
} from './predictor.js';
export { createRemoteRuntime, oipModelUrl } from './remote/remote-runtime.js';
export { checkInputs, checkOutputs, checkTensor, shapeMatches } from './signature-check.js';
export { type ToTensorsOptions, toRows, toTensors } from './tabular-tensors.js';
export { type Tfjs, tfjsDirectorySaver, tfjsFileLoader } from './tfjs/tfjs-file-io.js';
export { createTfjsRuntime } from './tfjs/tfjs-runtime.js';
