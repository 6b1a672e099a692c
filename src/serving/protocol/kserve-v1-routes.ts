// KServe V1 data plane (KServe `python/kserve/kserve/protocol/rest/v1_endpoints.py`; reference note
// serving.md §1.2): `POST /v1/models/{m}:predict` with `{"instances": [...]}` or `{"inputs": ...}`
// answering `{"predictions": [...]}`; `GET /v1/models/{m}` (ready state); `GET /v1/models` (names).
// Errors are `{"error": "<message>"}` (404 unknown model, 503 not ready, 400 bad input).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { invalidArgument, notFound, OspreyError } from '../../errors/index.js';
import type { InferenceServer } from '../types.js';
import {
  bodyOf,
  clientGone,
  headersOf,
  type ProtocolRouteOptions,
  prepareScope,
  requestId,
} from './http-scope.js';
import { assertReady, findEndpoint, runInference } from './infer-call.js';
import type { ProtocolFailure } from './protocol-error.js';
import { predictionsOf, tensorsFromColumnar, tensorsFromInstances } from './row-tensors.js';

function writeError(reply: FastifyReply, failure: ProtocolFailure) {
  return reply.status(failure.status).type('application/json').send({ error: failure.message });
}

function parseBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(
      `Unrecognized request format: the body is not valid JSON (${(error as Error).message})`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument('Unrecognized request format: expected a JSON object with "instances" or "inputs"');
  }
  return value as Record<string, unknown>;
}

type NameParam = { Params: { name: string } };

/** The KServe V1 routes over `server`, as a Fastify plugin. */
export function kserveV1Routes(
  server: InferenceServer,
  options: ProtocolRouteOptions = {},
): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    prepareScope(app, options, writeError);

    app.get('/v1/models', async () => ({ models: server.endpoints().map((e) => e.name) }));
    app.get('/v1/models/:name', async (request: FastifyRequest<NameParam>) => {
      const endpoint = findEndpoint(server, request.params.name);
      if (!endpoint.ready())
        throw new OspreyError('UNAVAILABLE', `Model with name ${endpoint.name} is not ready.`);
      return { name: endpoint.name, ready: true };
    });
    // `{m}:predict` is one path segment: split the verb off its last colon.
    app.post('/v1/models/:name', async (request: FastifyRequest<NameParam>, reply) => {
      const segment = request.params.name;
      const colon = segment.lastIndexOf(':');
      const verb = colon < 0 ? '' : segment.slice(colon + 1);
      if (verb !== 'predict')
        throw notFound(`no route for POST /v1/models/${segment} (use /v1/models/{name}:predict)`);
      const endpoint = findEndpoint(server, segment.slice(0, colon));
      assertReady(endpoint);
      const body = parseBody(bodyOf(request));
      const has = (k: string) => body[k] !== undefined;
      if (has('instances') === has('inputs')) {
        throw invalidArgument('Expected exactly one of "instances" or "inputs" in the request body');
      }
      const inputs = has('instances')
        ? tensorsFromInstances(body.instances, endpoint.signature, 'instances')
        : tensorsFromColumnar(body.inputs, endpoint.signature, 'inputs');
      const id = requestId(undefined, request);
      const response = await runInference(
        endpoint,
        { id, inputs, headers: headersOf(request) },
        clientGone(reply),
      );
      return reply
        .type('application/json')
        .send({ predictions: predictionsOf(response.outputs, endpoint.signature) });
    });
  };
}
