import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { invalidArgument } from '../../errors/index.js';
import { explainModel, numericRows, type TabularModel } from '../../explain/index.js';
import type { NamedTensors, Signature, Tensor, TensorSpec } from '../../models/index.js';
import type { DeploymentSpec } from '../deployment/index.js';
import { NO_LOG_HEADER, type PayloadLogger } from '../logging/index.js';
import type { InferenceRequest, JsonValue, ModelEndpoint } from '../types.js';

export type ExplainerSpec = NonNullable<DeploymentSpec['explainer']>;

/** An explainer ready to answer: its spec and the background records, read once when the deployment is applied. */
export interface DeploymentExplainer {
  readonly spec: ExplainerSpec;
  readonly background: readonly Record<string, unknown>[];
}

/** The `/explain` answer: SHAP values of the live model on the request's rows. */
export interface ExplainResponse {
  model_name: string;
  id: string;
  explanations: {
    /** E[f(X)] over the background, per output column. */
    base_values: number[];
    /** `values[output column][row][feature]`; base + Σ values = the model's output for the row. */
    values: number[][][];
    feature_names: string[];
    output: string;
  };
}

// Fixed, so the same request explained twice gets the same answer (an audit can replay it).
const SEED = 0;

/** Reads the background CSV (header = feature names); INVALID_ARGUMENT naming the file when unusable. */
export async function loadExplainer(spec: ExplainerSpec): Promise<DeploymentExplainer> {
  const where = `explainer background '${spec.background}'`;
  let text: string;
  try {
    text = await readFile(spec.background, 'utf8');
  } catch (error) {
    throw invalidArgument(`${where} cannot be read: ${(error as Error).message}`);
  }
  let background: Record<string, unknown>[];
  try {
    background = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw invalidArgument(`${where} is not a CSV file with a header: ${(error as Error).message}`);
  }
  if (background.length === 0) throw invalidArgument(`${where} has no rows`);
  return { spec, background };
}

/**
 * KernelSHAP on the rows of `request`, against the LIVE endpoint: every coalition batch is an
 * inference request through the deployment (marked not to be payload-logged, as it is no client's).
 */
export async function explainRequest(
  endpoint: ModelEndpoint,
  explainer: DeploymentExplainer,
  request: InferenceRequest,
): Promise<ExplainResponse> {
  const model = liveModel(endpoint, explainer.spec.output, request.id);
  const rows = rowsOf(request.inputs, endpoint.signature);
  const explanation = await explainModel({
    model,
    rows,
    background: numericRows(explainer.background, model.featureNames),
    method: 'kernel',
    ...(explainer.spec.nsamples !== undefined ? { nsamples: explainer.spec.nsamples } : {}),
    ...(explainer.spec.maxBackground !== undefined ? { maxBackground: explainer.spec.maxBackground } : {}),
    seed: SEED,
  });
  return {
    model_name: endpoint.name,
    id: request.id,
    explanations: {
      base_values: explanation.baseValues,
      values: explanation.values,
      feature_names: explanation.featureNames,
      output: model.output,
    },
  };
}

/** Logs an explanation as an `io.osprey.inference.explanation` CloudEvent carrying the request id. */
export function logExplanation(logger: PayloadLogger, deployment: string, response: ExplainResponse): void {
  logger.channel({ deployment, node: 'explainer', model: deployment }).log({
    kind: 'explanation',
    time: Date.now(),
    requestId: response.id,
    explanation: response as unknown as JsonValue,
  });
}

const FLOAT_TYPES = new Set(['FP16', 'FP32', 'FP64']);
const rowWidth = (input: TensorSpec) => input.shape.slice(1).reduce((a, b) => a * b, 1);

/** Feature names: the inputs' columns, a one-column input's name, or x0.. for one unnamed matrix. */
function featureNamesOf(signature: Signature): string[] {
  const [only, ...others] = signature.inputs;
  if (!only) throw invalidArgument('the deployment signature names no inputs: nothing to explain');
  if (others.length === 0 && !only.columns) return Array.from({ length: rowWidth(only) }, (_, j) => `x${j}`);
  return signature.inputs.flatMap((input) => {
    if (input.columns) return [...input.columns];
    if (rowWidth(input) === 1) return [input.name];
    throw invalidArgument(`input '${input.name}' has ${rowWidth(input)} values per row but no column names`);
  });
}

function outputOf(signature: Signature, chosen: string | undefined): string {
  const names = signature.outputs.map((o) => o.name);
  if (chosen !== undefined) {
    if (names.length > 0 && !names.includes(chosen))
      throw invalidArgument(`the deployment has no output '${chosen}'; outputs: ${names.join(', ')}`);
    return chosen;
  }
  const first = signature.outputs.find((o) => FLOAT_TYPES.has(o.datatype)) ?? signature.outputs[0];
  if (!first) throw invalidArgument('the deployment signature names no outputs: set explainer.output');
  return first.name;
}

/** The deployment as a function of a table, each call one inference request through it. */
function liveModel(endpoint: ModelEndpoint, output: string | undefined, requestId: string): TabularModel {
  const signature = endpoint.signature;
  const featureNames = featureNamesOf(signature);
  const chosen = outputOf(signature, output);
  let call = 0;
  return {
    featureNames,
    output: chosen,
    async predict(rows) {
      call += 1;
      const response = await endpoint.infer({
        id: `${requestId}/explain-${call}`,
        inputs: tensorsOf(rows, signature),
        headers: { [NO_LOG_HEADER]: '1' },
      });
      const tensor = response.outputs[chosen];
      if (!tensor) throw invalidArgument(`the deployment returned no output '${chosen}'`);
      const width = tensor.shape.length > 1 ? tensor.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
      return rows.map((_, i) => Array.from({ length: width }, (_, j) => Number(tensor.data[i * width + j])));
    },
  };
}

/** Slices each row into the signature's inputs, in order (the inverse of {@link rowsOf}). */
function tensorsOf(rows: number[][], signature: Signature): NamedTensors {
  const out: NamedTensors = {};
  let offset = 0;
  for (const input of signature.inputs) {
    const width = input.columns?.length ?? rowWidth(input);
    const values = rows.flatMap((row) => row.slice(offset, offset + width));
    offset += width;
    out[input.name] = numericTensor(input, [rows.length, ...(input.shape.length > 1 ? [width] : [])], values);
  }
  return out;
}

function numericTensor(input: TensorSpec, shape: number[], values: number[]): Tensor {
  switch (input.datatype) {
    case 'FP32':
      return { datatype: 'FP32', shape, data: Float32Array.from(values) };
    case 'FP64':
      return { datatype: 'FP64', shape, data: Float64Array.from(values) };
    case 'INT32':
      return { datatype: 'INT32', shape, data: Int32Array.from(values, Math.round) };
    case 'INT64':
      return { datatype: 'INT64', shape, data: BigInt64Array.from(values, (v) => BigInt(Math.round(v))) };
    default:
      throw invalidArgument(
        `input '${input.name}' is ${input.datatype}: only FP32, FP64, INT32 and INT64 inputs can be explained`,
      );
  }
}

/** The request's inputs as rows over the feature names: each input's per-row values, side by side. */
function rowsOf(inputs: NamedTensors, signature: Signature): number[][] {
  const parts = signature.inputs.map((spec) => {
    const tensor = inputs[spec.name];
    if (!tensor) throw invalidArgument(`the request lacks input '${spec.name}'`);
    const n = tensor.shape[0] ?? 1;
    const width = n === 0 ? 0 : tensor.data.length / n;
    const expected = spec.columns?.length ?? rowWidth(spec);
    if (width !== expected)
      throw invalidArgument(`input '${spec.name}' has ${width} values per row, expected ${expected}`);
    return { name: spec.name, n, width, data: tensor.data };
  });
  const n = parts[0]?.n ?? 0;
  if (n === 0) throw invalidArgument('no rows to explain');
  const uneven = parts.find((p) => p.n !== n);
  if (uneven) throw invalidArgument(`input '${uneven.name}' has ${uneven.n} rows, expected ${n}`);
  return Array.from({ length: n }, (_, i) =>
    parts.flatMap((p) =>
      Array.from({ length: p.width }, (_, j) => {
        const value = Number(p.data[i * p.width + j]);
        if (!Number.isFinite(value))
          throw invalidArgument(
            `input '${p.name}', row ${i + 1}: ${String(p.data[i * p.width + j])} is not a number`,
          );
        return value;
      }),
    ),
  );
}
