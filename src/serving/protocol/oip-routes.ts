// Open Inference Protocol (KServe V2) REST endpoints (OIP `inference_rest.md`; reference note
// serving.md §1.1). Health answers 200 with a JSON body, or 503 with `{"error"}` when not live or
// ready (KServe's behaviour); every error is `{"error": "<message>"}` with 400 (bad request),
// 404 (unknown model), 413 (body over the limit), 503 (not ready).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { OspreyError } from '../../errors/index.js';
import type { InferenceServer } from '../types.js';
import {
  bodyOf,
  clientGone,
  headersOf,
  type ProtocolRouteOptions,
  prepareScope,
  requestId,
} from './http-scope.js';
import { assertReady, findEndpoint, runInference, selectOutputs } from './infer-call.js';
import { BINARY_TENSOR_EXTENSION, modelMetadata, serverMetadata } from './oip-metadata.js';
import { decodeOipRequest } from './oip-request.js';
import { encodeOipResponse } from './oip-response.js';
import type { ProtocolFailure } from './protocol-error.js';

type ModelParams = { model: string; version?: string };

/** Writes an OIP error body. */
function writeError(reply: FastifyReply, failure: ProtocolFailure) {
  return reply.status(failure.status).type('application/json').send({ error: failure.message });
}

/**
 * The Open Inference Protocol REST routes over `server`, as a Fastify plugin:
 * `app.register(oipRoutes(server, { bodyLimitBytes }))`. Includes the binary tensor data extension.
 */
export function oipRoutes(server: InferenceServer, options: ProtocolRouteOptions = {}): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    prepareScope(app, options, writeError);

    app.get('/v2', async () => serverMetadata(server, [BINARY_TENSOR_EXTENSION]));
    app.get('/v2/health/live', async (_request, reply) => {
      if (!server.live()) throw new OspreyError('UNAVAILABLE', 'Server is not live.');
      return reply.send({ live: true });
    });
    app.get('/v2/health/ready', async (_request, reply) => {
      if (!server.ready()) throw new OspreyError('UNAVAILABLE', 'Server is not ready.');
      return reply.send({ ready: true });
    });

    const metadata = async (request: FastifyRequest<{ Params: ModelParams }>) =>
      modelMetadata(findEndpoint(server, request.params.model, request.params.version));
    app.get('/v2/models/:model', metadata);
    app.get('/v2/models/:model/versions/:version', metadata);

    const ready = async (request: FastifyRequest<{ Params: ModelParams }>) => {
      const endpoint = findEndpoint(server, request.params.model, request.params.version);
      if (!endpoint.ready()) throw new OspreyError('UNAVAILABLE', `Model ${endpoint.name} is not ready.`);
      return { name: endpoint.name, ready: true };
    };
    app.get('/v2/models/:model/ready', ready);
    app.get('/v2/models/:model/versions/:version/ready', ready);

    const infer = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
      const endpoint = findEndpoint(server, request.params.model, request.params.version);
      assertReady(endpoint);
      const header = request.headers['inference-header-content-length'];
      const decoded = decodeOipRequest(bodyOf(request), Array.isArray(header) ? header[0] : header);
      const id = requestId(decoded.id, request);
      const response = await runInference(
        endpoint,
        {
          id,
          inputs: decoded.inputs,
          ...(decoded.outputs ? { outputs: decoded.outputs } : {}),
          ...(decoded.parameters ? { parameters: decoded.parameters } : {}),
          headers: headersOf(request),
        },
        clientGone(reply),
      );
      const selected = { ...response, id, outputs: selectOutputs(response.outputs, decoded.outputs) };
      const encoded = encodeOipResponse(selected, decoded.binaryOutput);
      if (encoded.headerLength === undefined) return reply.type('application/json').send(encoded.body);
      return reply
        .type('application/octet-stream')
        .header('inference-header-content-length', String(encoded.headerLength))
        .send(encoded.body);
    };
    app.post('/v2/models/:model/infer', infer);
    app.post('/v2/models/:model/versions/:version/infer', infer);
  };
}
