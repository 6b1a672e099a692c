import { invalidArgument } from '../errors/index.js';
import { type OnnxValueInfo, readOnnxModel, type TensorElementType } from './onnx/index.js';
import {
  type Datatype,
  type ModelManifest,
  type ModelMetadata,
  type Signature,
  type TensorSpec,
  writeModelPackage,
} from './package/index.js';
import type { ClassificationModel, RegressionModel } from './trainers/index.js';

/** Options of {@link writeTrainedModelPackage}. */
export interface TrainedModelPackageOptions {
  /** Feature names, one per model input column (mapped onto `input` for tabular requests). */
  columns?: readonly string[];
  /** Provenance; `framework` defaults to 'osprey-trainers', `createdAt`/`ospreyVersion` are filled in. */
  metadata?: Partial<ModelMetadata>;
  /** An example request (rows or named tensors), written as input_example.json. */
  inputExample?: unknown;
}

const DATATYPE_OF: Record<TensorElementType, Datatype> = {
  float: 'FP32',
  double: 'FP64',
  int32: 'INT32',
  int64: 'INT64',
  int8: 'INT8',
  uint8: 'UINT8',
  bool: 'BOOL',
  string: 'BYTES',
};

const isClassifier = (model: ClassificationModel | RegressionModel): model is ClassificationModel =>
  Array.isArray((model as ClassificationModel).classes) &&
  typeof (model as ClassificationModel).predictProba === 'function';

// A graph input or output as a signature tensor: symbolic or unknown dimensions become -1.
function specOf(info: OnnxValueInfo): TensorSpec {
  if (info.type.kind !== 'tensor') {
    throw invalidArgument(`the model's ONNX graph has a non-tensor value '${info.name}'`);
  }
  return {
    name: info.name,
    datatype: DATATYPE_OF[info.type.elemType],
    shape: (info.type.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
  };
}

/**
 * The signature of a trained model's ONNX export, read from the graph itself and checked against the
 * model: input `input` FP32 [-1, F]; a classifier's `label` INT64 [-1] and `probabilities`
 * FP32 [-1, C]; a regressor's `variable` FP32 [-1, 1].
 */
export function trainedModelSignature(
  model: ClassificationModel | RegressionModel,
  onnxBytes: Uint8Array,
  columns?: readonly string[],
): Signature {
  const graph = readOnnxModel(onnxBytes).graph;
  const inputs = graph.inputs.map(specOf);
  const outputs = graph.outputs.map(specOf);
  const expected: TensorSpec[] = isClassifier(model)
    ? [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, model.classes.length] },
      ]
    : [{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }];
  const text = (specs: readonly TensorSpec[]) =>
    specs.map((s) => `${s.name} ${s.datatype} [${s.shape.join(', ')}]`).join(', ');
  const wantInput: TensorSpec = { name: 'input', datatype: 'FP32', shape: [-1, model.nFeatures] };
  if (text(inputs) !== text([wantInput]) || text(outputs) !== text(expected)) {
    throw invalidArgument(
      `${model.kind}: its ONNX export declares inputs (${text(inputs)}) and outputs (${text(outputs)}), ` +
        `expected (${text([wantInput])}) and (${text(expected)})`,
    );
  }
  if (columns !== undefined && columns.length !== model.nFeatures) {
    throw invalidArgument(
      `columns names ${columns.length} features, the ${model.kind} takes ${model.nFeatures}`,
    );
  }
  return {
    inputs: [{ ...wantInput, ...(columns ? { columns: [...columns] } : {}) }],
    outputs: expected,
  };
}

/**
 * Writes a trained classifier or regressor as an Osprey model package in `dir` (ONNX flavor,
 * `model.onnx`, with the signature its export declares), ready for `logModel`.
 *
 * @example
 * await writeTrainedModelPackage(trainLogisticRegression(X, y), 'out/model', { columns: ['x1', 'x2'] });
 */
export async function writeTrainedModelPackage(
  model: ClassificationModel | RegressionModel,
  dir: string,
  options: TrainedModelPackageOptions = {},
): Promise<{ dir: string; manifest: ModelManifest }> {
  if (model === null || typeof model !== 'object' || typeof model.toOnnx !== 'function') {
    throw invalidArgument('model must be a trained Osprey classifier or regressor (with toOnnx())');
  }
  const bytes = model.toOnnx();
  return writeModelPackage(dir, {
    flavor: 'onnx',
    onnx: { file: 'model.onnx' },
    files: { 'model.onnx': bytes },
    signature: trainedModelSignature(model, bytes, options.columns),
    ...(options.inputExample !== undefined ? { inputExample: options.inputExample } : {}),
    metadata: { framework: 'osprey-trainers', ...options.metadata },
  });
}
