import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { invalidArgument, OspreyError } from '../../errors/index.js';
import {
  type FetchedModel,
  type FetchModelDeps,
  fetchModel,
  isTabular,
  normalizeTable,
  type TabularInput,
} from '../package/index.js';
import { loadPredictor } from './create-predictor.js';
import { fromOipTensors, type OipTensor, toOipTensors } from './oip-json.js';
import type { NamedTensors, PredictorOptions } from './predictor.js';
import { toRows, toTensors } from './tabular-tensors.js';

/** What `osprey models predict <uri> -i <input> [-o <output>]` asks for. */
export interface PredictFileInput {
  uri: string;
  /** A .csv file (header row = column names) or a .json file (see {@link readPredictInput}). */
  inputPath: string;
  /** Where to write the predictions as JSON; printed through `deps.print` when absent. */
  outputPath?: string;
}

/** fetchModel's dependencies, runtime options, and where to print when there is no output file. */
export interface PredictFileDeps extends FetchModelDeps {
  predictorOptions?: PredictorOptions;
  print?: (text: string) => void;
}

/** Predictions as rows (`{ predictions }`, for tabular input) or as OIP tensors (`{ outputs }`). */
export type PredictFileOutput = { predictions: Record<string, unknown>[] } | { outputs: OipTensor[] };

/** What {@link predictFile} did. */
export interface PredictFileResult {
  model: FetchedModel;
  output: PredictFileOutput;
  /** Rows predicted (the first dimension of the first output). */
  count: number;
}

/** Input read from a file: rows (mapped through the signature) or named tensors. */
export type PredictInput =
  | { kind: 'rows'; rows: TabularInput; fromCsv: boolean }
  | { kind: 'tensors'; tensors: NamedTensors };

const JSON_FORMS =
  'rows ([{ col: value }]), { columns, data }, { dataframe_split }, { dataframe_records }, { instances }, ' +
  'an OIP request ({ inputs: [{ name, datatype, shape, data }] }) or named tensors ({ name: { datatype, shape, data } })';

/**
 * Reads a prediction input file. CSV: a header row, then one row per example (cells are read as
 * numbers or booleans where the signature wants them). JSON: any of the forms in JSON_FORMS, which
 * cover Osprey rows, MLflow `/invocations` bodies and OIP requests.
 */
export async function readPredictInput(path: string): Promise<PredictInput> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.json')
    throw invalidArgument(`input file must be .csv or .json, got '${path}'`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw invalidArgument(`cannot read input file ${path}: ${(error as Error).message}`);
  }
  if (ext === '.csv') {
    try {
      const rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
        string,
        string
      >[];
      if (rows.length > 0) return { kind: 'rows', rows, fromCsv: true };
    } catch (error) {
      throw invalidArgument(`${path} is not valid CSV: ${(error as Error).message}`);
    }
    throw invalidArgument(`${path} has no data rows: expected a header row, then one row per example`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return interpretJson(body, path);
}

function interpretJson(body: unknown, path: string): PredictInput {
  const rows = (r: TabularInput): PredictInput => {
    if (normalizeTable(r).rows.length === 0) throw invalidArgument(`${path} has no rows to predict`);
    return { kind: 'rows', rows: r, fromCsv: false };
  };
  if (isTabular(body)) return rows(body);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    if (Array.isArray(o.inputs)) return { kind: 'tensors', tensors: fromOipTensors(o.inputs) };
    if (isTabular(o.dataframe_split)) return rows(o.dataframe_split);
    if (isTabular(o.dataframe_records)) return rows(o.dataframe_records);
    if (isTabular(o.instances)) return rows(o.instances);
    const values = Object.values(o);
    if (values.length > 0 && values.every((v) => v !== null && typeof v === 'object' && 'datatype' in v)) {
      return { kind: 'tensors', tensors: o as NamedTensors };
    }
  }
  throw invalidArgument(`${path}: unrecognised JSON input; expected ${JSON_FORMS}`);
}

/**
 * Fetches the model, reads the input file, predicts, and writes the predictions as JSON to
 * `outputPath` (atomically) or prints them. The implementation of `osprey models predict`.
 */
export async function predictFile(
  input: PredictFileInput,
  deps: PredictFileDeps,
): Promise<PredictFileResult> {
  if (typeof input.uri !== 'string' || input.uri === '') throw invalidArgument('a model URI is required');
  if (typeof input.inputPath !== 'string' || input.inputPath === '')
    throw invalidArgument('an input file is required (-i)');
  const request = await readPredictInput(input.inputPath);
  const model = await fetchModel(input.uri, deps);
  // The cache directory means little to the caller: say which URI failed to load.
  const predictor = await loadPredictor(model.dir, deps.predictorOptions).catch((error: unknown) => {
    if (!(error instanceof OspreyError)) throw error;
    throw new OspreyError(error.code, `cannot load ${input.uri}: ${error.message}`, error.details);
  });
  let output: PredictFileOutput;
  let count: number;
  try {
    if (request.kind === 'rows') {
      const tensors = toTensors(request.rows, predictor.signature, { coerceStrings: request.fromCsv });
      const predictions = toRows(await predictor.predict(tensors), predictor.signature);
      output = { predictions };
      count = predictions.length;
    } else {
      const outputs = await predictor.predict(request.tensors);
      output = { outputs: toOipTensors(outputs) };
      count = Object.values(outputs)[0]?.shape[0] ?? 0;
    }
  } finally {
    await predictor.unload();
  }
  const text = `${JSON.stringify(output, null, 2)}\n`;
  if (input.outputPath) {
    const temp = `${input.outputPath}.${randomBytes(4).toString('hex')}.osprey-tmp`;
    try {
      await writeFile(temp, text);
      await rename(temp, input.outputPath);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  } else deps.print?.(text);
  return { model, output, count };
}
