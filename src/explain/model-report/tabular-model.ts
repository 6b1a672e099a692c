import { invalidArgument, isOspreyError } from '../../errors/index.js';
import {
  type NamedTensors,
  type Predictor,
  readOnnxModel,
  readTreeEnsemble,
  type Signature,
  type Tensor,
  type TensorSpec,
  toTensors,
} from '../../models/index.js';
import { fromOnnxTreeAttributes, type TreeEnsemble } from '../tree/index.js';

/** A model seen as a function of a table: named numeric columns in, one output matrix out. */
export interface TabularModel {
  featureNames: string[];
  /** The model output this view returns (e.g. `probabilities`, `variable`). */
  output: string;
  /** `[row][column of the output]`. */
  predict(rows: number[][]): Promise<number[][]>;
}

const FLOAT_TYPES = new Set(['FP16', 'FP32', 'FP64']);

/**
 * Views a loaded predictor as a {@link TabularModel}: the signature's input columns (or input names
 * for one-column inputs) are the features, and `output` (default: the first floating-point output)
 * is what is explained and assessed.
 */
export function tabularModel(predictor: Predictor, options: { output?: string } = {}): TabularModel {
  const signature = predictor.signature;
  if (!signature) throw invalidArgument('the model has no signature: its input columns are unknown');
  const output = options.output ?? defaultOutput(signature);
  if (signature.outputs.length > 0 && !signature.outputs.some((o) => o.name === output))
    throw invalidArgument(
      `the model has no output '${output}'; outputs: ${signature.outputs.map((o) => o.name).join(', ')}`,
    );
  const [only, ...others] = signature.inputs;
  // One unnamed matrix input (a model exported without column names): features x0, x1, …
  const unnamed = only !== undefined && others.length === 0 && !only.columns ? only : undefined;
  const featureNames = unnamed
    ? Array.from({ length: rowWidth(unnamed) }, (_, j) => `x${j}`)
    : signature.inputs.flatMap(columnsOf);
  const toInputs = (rows: number[][]): NamedTensors =>
    unnamed
      ? { [unnamed.name]: matrixTensor(unnamed, rows) }
      : toTensors({ columns: featureNames, data: rows }, signature);
  return {
    featureNames,
    output,
    async predict(rows) {
      const outputs = await predictor.predict(toInputs(rows));
      const tensor = outputs[output];
      if (!tensor) throw invalidArgument(`the model returned no output '${output}'`);
      const width = tensor.shape.length > 1 ? tensor.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
      return rows.map((_, i) => Array.from({ length: width }, (_, j) => Number(tensor.data[i * width + j])));
    },
  };
}

const rowWidth = (input: TensorSpec) => input.shape.slice(1).reduce((a, b) => a * b, 1);

function matrixTensor(input: TensorSpec, rows: number[][]): Tensor {
  const shape = [rows.length, rowWidth(input)];
  if (input.datatype === 'FP64') return { datatype: 'FP64', shape, data: Float64Array.from(rows.flat()) };
  if (input.datatype === 'FP32') return { datatype: 'FP32', shape, data: Float32Array.from(rows.flat()) };
  throw invalidArgument(
    `input '${input.name}' is ${input.datatype}: only FP32 and FP64 matrices can be explained`,
  );
}

function columnsOf(input: TensorSpec): string[] {
  if (input.columns) return [...input.columns];
  const width = rowWidth(input);
  if (width === 1) return [input.name];
  throw invalidArgument(`input '${input.name}' has ${width} values per row but no column names`);
}

function defaultOutput(signature: Signature): string {
  const chosen = signature.outputs.find((o) => FLOAT_TYPES.has(o.datatype)) ?? signature.outputs[0];
  if (!chosen) throw invalidArgument('the model signature names no outputs: pass the output to explain');
  return chosen.name;
}

/**
 * The tree ensemble inside an ONNX model (TreeEnsembleRegressor/Classifier), for exact TreeSHAP;
 * undefined when the graph has none.
 */
export function treeEnsembleOf(onnxBytes: Uint8Array, nFeatures: number): TreeEnsemble | undefined {
  try {
    return fromOnnxTreeAttributes(readTreeEnsemble(readOnnxModel(onnxBytes)), { nFeatures });
  } catch (error) {
    if (isOspreyError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** Records (as read from a CSV or JSON file) as a numeric matrix over `columns`; names the bad cell. */
export function numericRows(
  records: readonly Record<string, unknown>[],
  columns: readonly string[],
): number[][] {
  const first = records[0];
  const missing = first ? columns.filter((c) => !(c in first)) : [];
  if (missing.length)
    throw invalidArgument(`the data has no column ${missing.map((c) => `'${c}'`).join(', ')}`);
  return records.map((record, i) =>
    columns.map((column) => {
      const cell = record[column];
      const value = typeof cell === 'string' && cell.trim() === '' ? Number.NaN : Number(cell);
      if (typeof cell === 'boolean' || (Number.isNaN(value) && cell !== '' && cell !== null))
        throw invalidArgument(`row ${i + 1}, column '${column}': ${JSON.stringify(cell)} is not a number`);
      return value;
    }),
  );
}
