export { DATATYPE_SIZES, DATATYPES, type Datatype, isDatatype } from './datatypes.js';
export {
  type ArtifactReader,
  type FetchedModel,
  type FetchModelDeps,
  fetchModel,
  type ResolveModel,
} from './fetch-model.js';
export { type InferSignatureOptions, inferSignature } from './infer-signature.js';
export { type LoggedModel, logModel } from './log-model.js';
export { formatManifest, parseManifest, validateManifest, validateSignature } from './manifest-io.js';
export {
  FLAVORS,
  type Flavor,
  FORMAT_VERSION,
  type JsFlavorConfig,
  MANIFEST_FILE,
  type ModelManifest,
  type ModelMetadata,
  type OnnxFlavorConfig,
  type RemoteFlavorConfig,
  type Signature,
  type TensorSpec,
  type TfjsFlavorConfig,
} from './manifest-schema.js';
export { type ModelUri, parseModelUri } from './model-uri.js';
export { ospreyVersion } from './osprey-version.js';
export { isSafeRelativePath, resolveInside } from './package-path.js';
export { type ModelPackage, readInputExample, readModelPackage } from './read-package.js';
export { isTabular, normalizeTable, type Table, type TabularInput } from './tabular.js';
export {
  elementCount,
  type Tensor,
  type TensorData,
  type TypedArray,
  tensorDataToJson,
  toCanonicalData,
} from './tensor.js';
export {
  flavorEntryFile,
  INPUT_EXAMPLE_FILE,
  type PackageFileSource,
  type WriteModelPackageInput,
  writeModelPackage,
} from './write-package.js';
