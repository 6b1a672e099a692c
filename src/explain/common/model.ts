import { invalidArgument } from '../../errors/index.js';

/**
 * Any model: rows in, one number per row (single output) or one vector per row (multi-output) out,
 * synchronously or as a promise (an ONNX session, a remote endpoint, a plain function).
 */
export type PredictFn = (
  rows: number[][],
) =>
  | number[]
  | number[][]
  | Float64Array
  | Float32Array
  | Promise<number[] | number[][] | Float64Array | Float32Array>;

/** Model outputs normalised to `[row][output]`. */
export type OutputMatrix = number[][];

/** Calls the model once on `rows` and normalises its answer to `[row][output]`, checking the shape. */
export async function callModel(predict: PredictFn, rows: number[][]): Promise<OutputMatrix> {
  const raw = await predict(rows);
  if (raw.length !== rows.length) {
    throw invalidArgument(`model returned ${raw.length} predictions for ${rows.length} rows`);
  }
  const out: OutputMatrix = new Array(rows.length);
  let width = -1;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    const row = typeof v === 'number' ? [v] : Array.isArray(v) ? v : undefined;
    if (row === undefined) throw invalidArgument(`model prediction ${i} is neither a number nor an array`);
    if (width === -1) width = row.length;
    if (row.length !== width || width === 0) throw invalidArgument('model returned rows of different widths');
    out[i] = row;
  }
  return out;
}

/** Transposes `[row][output]` into `[output][row]`. */
export function outputsFirst(m: OutputMatrix): number[][] {
  const k = m[0]?.length ?? 0;
  return Array.from({ length: k }, (_, j) => m.map((row) => row[j]!));
}
