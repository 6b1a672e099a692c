export {
  type GrpcServerOptions,
  INFERENCE_PROTO_PATH,
  inferenceServiceDefinition,
  PROTO_LOADER_OPTIONS,
  type RunningGrpcServer,
  startGrpcServer,
} from './grpc-server.js';
export { DEFAULT_BODY_LIMIT_BYTES, type ProtocolRouteOptions } from './http-scope.js';
export { kserveV1Routes } from './kserve-v1-routes.js';
export { decodeMlflowCsv, decodeMlflowJson, type MlflowRouteOptions, mlflowRoutes } from './mlflow-routes.js';
export {
  BINARY_TENSOR_EXTENSION,
  modelMetadata,
  type OipModelMetadata,
  type OipServerMetadata,
  type OipTensorMetadata,
  serverMetadata,
} from './oip-metadata.js';
export { decodeOipRequest, type OipRequest } from './oip-request.js';
export { type EncodedOipResponse, encodeOipResponse } from './oip-response.js';
export { oipRoutes } from './oip-routes.js';
export { predictionsOf, tensorsFromColumnar, tensorsFromInstances } from './row-tensors.js';
export {
  decodeSeldonPayload,
  encodeSeldonPayload,
  type SeldonMeta,
  type SeldonPayloadKind,
} from './seldon-message.js';
export { type SeldonRouteOptions, seldonRoutes } from './seldon-routes.js';
export { byteSize, tensorFromBytes, tensorToBytes } from './tensor-bytes.js';
