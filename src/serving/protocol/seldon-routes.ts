// Seldon Core v1 external prediction API (reference note serving.md §1.2): `POST
// /api/v1.0/predictions` and `POST /api/v1.0/feedback` with SeldonMessage bodies. The response
// `meta` carries `puid` (the request id), `routing` (InferenceResponse.routing: node → chosen
// child, which a client echoes in feedback so bandits credit the right arm) and `requestPath`.
// Errors: `{"status": {"status": 1, "info", "code": -1, "reason"}}` as Seldon's Python wrapper writes.
//
// Model choice: a Seldon deployment serves one graph per host. Here `?model=<name>` picks an
// endpoint, else the `defaultModel` option, else the server's only endpoint.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { invalidArgument } from '../../errors/index.js';
import type { Feedback, InferenceServer } from '../types.js';
import {
  bodyOf,
  clientGone,
  headersOf,
  type ProtocolRouteOptions,
  prepareScope,
  requestId,
} from './http-scope.js';
import { assertReady, pickEndpoint, runInference } from './infer-call.js';
import type { ProtocolFailure } from './protocol-error.js';
import { decodeSeldonPayload, decodeTruth, encodeSeldonPayload, seldonMeta } from './seldon-message.js';

/** Options of the Seldon v1 routes. */
export interface SeldonRouteOptions extends ProtocolRouteOptions {
  /** The endpoint served when the request names none (default: the server's only endpoint). */
  defaultModel?: string;
}

function writeError(reply: FastifyReply, failure: ProtocolFailure) {
  const reason = failure.status >= 500 ? 'MICROSERVICE_INTERNAL_ERROR' : 'MICROSERVICE_BAD_DATA';
  return reply
    .status(failure.status)
    .type('application/json')
    .send({ status: { status: 1, info: failure.message, code: -1, reason } });
}

function parseMessage(body: Buffer, what: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') throw invalidArgument(`the ${what} body is empty`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(`the ${what} body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(`the ${what} body must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

type ModelQuery = { Querystring: { model?: string } };

/** Seldon Core v1 prediction and feedback routes over `server`, as a Fastify plugin. */
export function seldonRoutes(server: InferenceServer, options: SeldonRouteOptions = {}): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    prepareScope(app, options, writeError);

    app.post('/api/v1.0/predictions', async (request: FastifyRequest<ModelQuery>, reply) => {
      const endpoint = pickEndpoint(server, request.query.model, options.defaultModel);
      assertReady(endpoint);
      const message = parseMessage(bodyOf(request), 'prediction');
      const meta = seldonMeta(message);
      const { inputs, kind } = decodeSeldonPayload(message, endpoint.signature);
      const id = requestId(meta.puid ?? header(request, 'seldon-puid'), request);
      const response = await runInference(
        endpoint,
        { id, inputs, headers: headersOf(request) },
        clientGone(reply),
      );
      const path = response.modelVersion
        ? `${response.modelName}:${response.modelVersion}`
        : response.modelName;
      return reply
        .header('seldon-puid', id)
        .type('application/json')
        .send({
          meta: {
            puid: id,
            tags: meta.tags ?? {},
            routing: response.routing ?? {},
            requestPath: { [endpoint.name]: path },
          },
          ...encodeSeldonPayload(response.outputs, endpoint.signature, kind),
        });
    });

    app.post('/api/v1.0/feedback', async (request: FastifyRequest<ModelQuery>, reply) => {
      const endpoint = pickEndpoint(server, request.query.model, options.defaultModel);
      const body = parseMessage(bodyOf(request), 'feedback');
      const part = (key: string) => {
        const value = body[key];
        if (value === undefined || value === null) return {};
        if (typeof value !== 'object' || Array.isArray(value))
          throw invalidArgument(`feedback.${key} must be a SeldonMessage`);
        return value as Record<string, unknown>;
      };
      const responseMeta = seldonMeta(part('response'));
      const requestMeta = seldonMeta(part('request'));
      const reward = body.reward;
      if (reward !== undefined && (typeof reward !== 'number' || !Number.isFinite(reward))) {
        throw invalidArgument('feedback.reward must be a finite number');
      }
      const id = requestId(responseMeta.puid ?? requestMeta.puid ?? header(request, 'seldon-puid'), request);
      const truth = decodeTruth(body.truth, endpoint.signature);
      const feedback: Feedback = {
        requestId: id,
        ...(responseMeta.routing ? { routing: responseMeta.routing } : {}),
        ...(reward === undefined ? {} : { reward }),
        ...(truth ? { truth } : {}),
      };
      // A model without feedback accepts and ignores it, as a Seldon model without send_feedback does.
      await endpoint.feedback?.(feedback);
      return reply.type('application/json').send({
        meta: { puid: id, tags: {}, routing: responseMeta.routing ?? {}, requestPath: {} },
      });
    });
  };
}
