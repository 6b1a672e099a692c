// Encodes an Open Inference Protocol REST inference response (OIP `inference_rest.md`,
// "$inference_response"); outputs asked for as binary go after the JSON header (Triton
// `extension_binary_data.md`) with `parameters.binary_data_size` in place of `data`.
import type { Tensor } from '../../models/index.js';
import type { InferenceResponse, JsonValue } from '../types.js';
import { tensorToBytes } from './tensor-bytes.js';

/** An encoded response: the body, and the JSON header's length when binary data follows it. */
export interface EncodedOipResponse {
  body: string | Buffer;
  headerLength?: number;
}

/**
 * JSON text of a tensor's flat data. 64-bit integers are written digit for digit (JSON numbers have
 * no width; JSON.stringify would refuse bigints), non-finite floats as null (JSON has no NaN).
 */
export function jsonDataText(tensor: Tensor): string {
  const { datatype, data } = tensor;
  if (datatype === 'BOOL')
    return `[${Array.from(data as ArrayLike<unknown>, (v) => (v === true || v === 1 ? 'true' : 'false')).join(',')}]`;
  if (datatype === 'INT64' || datatype === 'UINT64')
    return `[${Array.from(data as ArrayLike<unknown>, String).join(',')}]`;
  return JSON.stringify(Array.isArray(data) ? data : Array.from(data as ArrayLike<number>));
}

/** Encodes the response; `binaryOutput(name)` says which outputs travel as raw bytes. */
export function encodeOipResponse(
  response: InferenceResponse,
  binaryOutput: (name: string) => boolean,
): EncodedOipResponse {
  const chunks: Uint8Array[] = [];
  const outputs = Object.entries(response.outputs).map(([name, tensor]) => {
    const head = `{"name":${JSON.stringify(name)},"datatype":"${tensor.datatype}","shape":${JSON.stringify(tensor.shape)}`;
    if (!binaryOutput(name)) return `${head},"data":${jsonDataText(tensor)}}`;
    const bytes = tensorToBytes(tensor, `output '${name}'`);
    chunks.push(bytes);
    return `${head},"parameters":{"binary_data_size":${bytes.length}}}`;
  });
  const parameters: Record<string, JsonValue> | undefined = response.parameters;
  const json =
    `{"model_name":${JSON.stringify(response.modelName)}` +
    (response.modelVersion === undefined ? '' : `,"model_version":${JSON.stringify(response.modelVersion)}`) +
    `,"id":${JSON.stringify(response.id)}` +
    (parameters && Object.keys(parameters).length > 0 ? `,"parameters":${JSON.stringify(parameters)}` : '') +
    `,"outputs":[${outputs.join(',')}]}`;
  if (chunks.length === 0) return { body: json };
  const header = Buffer.from(json, 'utf8');
  return { body: Buffer.concat([header, ...chunks]), headerLength: header.length };
}
