// The Open Inference Protocol gRPC service (`inference.GRPCInferenceService`, see inference.proto)
// over an InferenceServer, with @grpc/grpc-js. Errors are gRPC statuses: INVALID_ARGUMENT,
// NOT_FOUND (unknown model), UNAVAILABLE (not ready), RESOURCE_EXHAUSTED (message over the limit).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { type ErrorCode, invalidArgument } from '../../errors/index.js';
import type { InferenceServer } from '../types.js';
import {
  decodeGrpcInputs,
  decodeParameters,
  encodeParameters,
  encodeRawOutput,
  encodeTypedOutput,
  type GrpcParameter,
  type GrpcTensor,
} from './grpc-messages.js';
import { assertReady, findEndpoint, runInference, selectOutputs } from './infer-call.js';
import { modelMetadata, serverMetadata } from './oip-metadata.js';
import { toFailure } from './protocol-error.js';

/** Where and how the gRPC server listens. */
export interface GrpcServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Largest message received or sent, in bytes (default 16 MiB; grpc-js's own default is 4 MiB). */
  maxMessageBytes?: number;
}

/** A listening gRPC server. */
export interface RunningGrpcServer {
  port: number;
  /** Stops accepting calls, lets running ones finish (up to 5 s), then closes. */
  close(): Promise<void>;
}

/** proto-loader options: field names as in the .proto (snake_case), 64-bit integers as strings. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = Object.freeze({
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
});

const STATUS: Readonly<Record<ErrorCode, grpc.status>> = {
  NOT_FOUND: grpc.status.NOT_FOUND,
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
  CONFLICT: grpc.status.ABORTED,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  RESOURCE_EXHAUSTED: grpc.status.RESOURCE_EXHAUSTED,
  PAYLOAD_TOO_LARGE: grpc.status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  DEADLINE_EXCEEDED: grpc.status.DEADLINE_EXCEEDED,
  INTERNAL: grpc.status.INTERNAL,
};

/**
 * inference.proto beside this module (the build copies it next to the compiled code), the file a
 * Triton or KServe client can be generated from.
 */
export const INFERENCE_PROTO_PATH = fileURLToPath(new URL('./inference.proto', import.meta.url));

/** The `GRPCInferenceService` definition, from inference.proto. */
export function inferenceServiceDefinition(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(INFERENCE_PROTO_PATH, PROTO_LOADER_OPTIONS);
  return definition['inference.GRPCInferenceService'] as grpc.ServiceDefinition;
}

interface ModelRef {
  name: string;
  version: string;
}

interface InferRequestMessage {
  model_name: string;
  model_version: string;
  id: string;
  parameters: Record<string, GrpcParameter>;
  inputs: GrpcTensor[];
  outputs: { name: string }[];
  raw_input_contents: Uint8Array[];
}

type Handler = (call: grpc.ServerUnaryCall<unknown, unknown>) => unknown;

/** Wraps an async handler as a grpc-js unary handler that reports failures as gRPC statuses. */
function unary(handler: Handler): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call))
      .then(
        (value) => callback(null, value),
        (error: unknown) => {
          const failure = toFailure(error);
          callback({ code: STATUS[failure.code], details: failure.message });
        },
      );
  };
}

function metadataHeaders(metadata: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (typeof value === 'string') out[key.toLowerCase()] = value;
  }
  return out;
}

function implementation(server: InferenceServer): grpc.UntypedServiceImplementation {
  return {
    ServerLive: unary(() => ({ live: server.live() })),
    ServerReady: unary(() => ({ ready: server.ready() })),
    ModelReady: unary((call) => {
      const { name, version } = call.request as ModelRef;
      return { ready: findEndpoint(server, name, version).ready() };
    }),
    ServerMetadata: unary(() => serverMetadata(server)),
    ModelMetadata: unary((call) => {
      const { name, version } = call.request as ModelRef;
      const meta = modelMetadata(findEndpoint(server, name, version));
      return { ...meta, versions: meta.versions ?? [] };
    }),
    ModelInfer: unary(async (call) => {
      const message = call.request as InferRequestMessage;
      const endpoint = findEndpoint(server, message.model_name, message.model_version);
      assertReady(endpoint);
      const inputs = decodeGrpcInputs(message.inputs, message.raw_input_contents);
      const requested = message.outputs.length > 0 ? message.outputs.map((o) => o.name) : undefined;
      if (requested && new Set(requested).size !== requested.length) {
        throw invalidArgument('an output is requested twice');
      }
      const headers = metadataHeaders(call.metadata);
      const id = message.id || headers['x-request-id'] || randomUUID();
      const controller = new AbortController();
      call.once('cancelled', () => controller.abort(new Error('the client cancelled the call')));
      const parameters = decodeParameters(message.parameters);
      const response = await runInference(
        endpoint,
        {
          id,
          inputs,
          ...(requested ? { outputs: requested } : {}),
          ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
          headers,
        },
        controller.signal,
      );
      const outputs = Object.entries(selectOutputs(response.outputs, requested));
      // Raw bytes answer raw bytes; FP16 has no typed field, so any FP16 output makes all raw.
      const raw = message.raw_input_contents.length > 0 || outputs.some(([, t]) => t.datatype === 'FP16');
      return {
        model_name: response.modelName,
        model_version: response.modelVersion ?? '',
        id,
        parameters: encodeParameters(response.parameters),
        outputs: outputs.map(([name, t]) =>
          raw ? { name, datatype: t.datatype, shape: [...t.shape] } : encodeTypedOutput(name, t),
        ),
        raw_output_contents: raw ? outputs.map(([name, t]) => encodeRawOutput(name, t)) : [],
      };
    }),
  };
}

/**
 * Serves the Open Inference Protocol over gRPC for `server` on `host:port` (insecure credentials:
 * put TLS in front, or extend this with grpc.ServerCredentials). Resolves once listening.
 */
export async function startGrpcServer(
  server: InferenceServer,
  options: GrpcServerOptions = {},
): Promise<RunningGrpcServer> {
  const { host = '127.0.0.1', port = 0, maxMessageBytes = 16 * 1024 * 1024 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw invalidArgument(`port must be 0..65535, got ${port}`);
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes <= 0) {
    throw invalidArgument(`maxMessageBytes must be a positive integer, got ${maxMessageBytes}`);
  }
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  });
  grpcServer.addService(inferenceServiceDefinition(), implementation(server));
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const bound = await new Promise<number>((resolve, reject) => {
    grpcServer.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    );
  });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => grpcServer.forceShutdown(), 5000);
        grpcServer.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
