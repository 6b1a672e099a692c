import { invalidArgument } from '../../errors/index.js';
import {
  type Datatype,
  isDatatype,
  type Signature,
  type TensorSpec,
  tensorDataToJson,
} from '../package/index.js';
import type { NamedTensors } from './predictor.js';
import { checkTensor } from './signature-check.js';

/** One tensor in Open Inference Protocol JSON (`$request_input` / `$response_output`). */
export interface OipTensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  data: (string | boolean | number)[];
  parameters?: Record<string, string | number | boolean>;
}

/** Named tensors as an OIP `inputs`/`outputs` list with flat JSON data (64-bit integers as numbers). */
export function toOipTensors(tensors: NamedTensors): OipTensor[] {
  return Object.entries(tensors).map(([name, t]) => ({
    name,
    datatype: t.datatype,
    shape: [...t.shape],
    data: tensorDataToJson(t.datatype, t.data),
  }));
}

/**
 * Reads an OIP `inputs` or `outputs` list (data flat or nested, row-major) into named tensors in
 * canonical form. INVALID_ARGUMENT naming the tensor when one is malformed or repeated.
 */
export function fromOipTensors(list: unknown, what = 'inputs'): NamedTensors {
  if (!Array.isArray(list))
    throw invalidArgument(`${what} must be a list of { name, datatype, shape, data }`);
  const out: NamedTensors = {};
  list.forEach((item, i) => {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name === '') throw invalidArgument(`${what}[${i}] needs a name`);
    if (name in out) throw invalidArgument(`${what}: tensor '${name}' appears twice`);
    out[name] = checkTensor(`${what.replace(/s$/, '')} '${name}'`, item);
  });
  return out;
}

/** A signature from OIP model metadata (`GET /v2/models/{m}`), or undefined when it lists no tensors. */
export function signatureFromOipMetadata(metadata: unknown): Signature | undefined {
  const m = metadata as { inputs?: unknown; outputs?: unknown } | null;
  const specs = (list: unknown): TensorSpec[] =>
    Array.isArray(list)
      ? list.flatMap((t: { name?: unknown; datatype?: unknown; shape?: unknown }) =>
          typeof t?.name === 'string' && isDatatype(t.datatype) && Array.isArray(t.shape)
            ? [
                {
                  name: t.name,
                  datatype: t.datatype,
                  shape: t.shape.map((d) => (Number.isInteger(d) && d >= 0 ? d : -1)),
                },
              ]
            : [],
        )
      : [];
  const inputs = specs(m?.inputs);
  return inputs.length > 0 ? { inputs, outputs: specs(m?.outputs) } : undefined;
}
