import * as ort from 'onnxruntime-node';

/** One output of an onnxruntime run, with int64 data converted to JS numbers. */
export interface OrtOutput {
  dims: number[];
  data: number[] | string[];
}

/**
 * Test helper: loads ONNX bytes in onnxruntime-node (one intra-op thread), feeds `rows` as
 * float32 [N, F] and returns every output. Not part of the module's public face.
 */
export async function runWithOrt(
  bytes: Uint8Array,
  rows: readonly ArrayLike<number>[],
  inputName = 'input',
): Promise<Record<string, OrtOutput>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const nFeatures = rows[0]?.length ?? 0;
    const flat = new Float32Array(rows.length * nFeatures);
    rows.forEach((r, i) => {
      flat.set(Array.from(r), i * nFeatures);
    });
    const result = await session.run({
      [inputName]: new ort.Tensor('float32', flat, [rows.length, nFeatures]),
    });
    const out: Record<string, OrtOutput> = {};
    for (const [name, tensor] of Object.entries(result)) {
      const data = tensor.data;
      out[name] = {
        dims: [...tensor.dims],
        data:
          data instanceof BigInt64Array
            ? Array.from(data, Number)
            : Array.isArray(data)
              ? data.map(String)
              : Array.from(data as Float32Array),
      };
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Splits a flat row-major output into rows of `width`. */
export function toRows(data: readonly number[], width: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < data.length; i += width) rows.push(data.slice(i, i + width));
  return rows;
}
