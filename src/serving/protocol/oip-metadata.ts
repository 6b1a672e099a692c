import type { TensorSpec } from '../../models/index.js';
import type { InferenceServer, ModelEndpoint } from '../types.js';

/** OIP `$metadata_tensor`: a variable dimension is -1. */
export interface OipTensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** OIP `$metadata_model_response` (REST `GET /v2/models/{m}`, gRPC ModelMetadata). */
export interface OipModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: OipTensorMetadata[];
  outputs: OipTensorMetadata[];
}

/** OIP `$metadata_server_response`. */
export interface OipServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

const tensorMetadata = (spec: TensorSpec): OipTensorMetadata => ({
  name: spec.name,
  datatype: spec.datatype,
  shape: [...spec.shape],
});

/** Model metadata from the endpoint's signature (OIP `inference_rest.md`, "Model Metadata"). */
export function modelMetadata(endpoint: ModelEndpoint): OipModelMetadata {
  return {
    name: endpoint.name,
    ...(endpoint.version === undefined ? {} : { versions: [endpoint.version] }),
    platform: endpoint.platform,
    inputs: endpoint.signature.inputs.map(tensorMetadata),
    outputs: endpoint.signature.outputs.map(tensorMetadata),
  };
}

/** The binary tensor data extension the REST layer implements (Triton's name for it). */
export const BINARY_TENSOR_EXTENSION = 'binary_tensor_data';

/** Server metadata: the server's own, plus the extensions this protocol layer implements. */
export function serverMetadata(
  server: InferenceServer,
  extensions: readonly string[] = [],
): OipServerMetadata {
  const meta = server.metadata();
  const all = [...meta.extensions];
  for (const e of extensions) if (!all.includes(e)) all.push(e);
  return { name: meta.name, version: meta.version, extensions: all };
}
