// Explain endpoints of deployments with an explainer: OIP-style `POST /v2/models/{m}/explain` (an
// inference body) and KServe V1 `POST /v1/models/{m}:explain` (`instances` or `inputs`). Errors are
// `{"error", "code"}` with the code's HTTP status, as the other protocol routes answer.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS, invalidArgument, isOspreyError } from '../../errors/index.js';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  decodeOipRequest,
  type ProtocolRouteOptions,
  tensorsFromColumnar,
  tensorsFromInstances,
} from '../protocol/index.js';
import type { InferenceRequest, InferenceServer } from '../types.js';
import type { ExplainResponse } from './explainer.js';

/** A server whose deployments may carry an explainer (the DeploymentHost). */
export interface ExplainingServer extends InferenceServer {
  /** NOT_FOUND when the deployment is unknown or has no explainer. */
  explain(name: string, request: InferenceRequest): Promise<ExplainResponse>;
}

export const canExplain = (server: InferenceServer): server is ExplainingServer =>
  typeof (server as Partial<ExplainingServer>).explain === 'function';

export interface ExplainerRoutesOptions extends ProtocolRouteOptions {
  /** Also mount KServe V1 `:explain` (beside the kserve-v1 adapter). */
  kserveV1?: boolean;
}

type NameParam = { Params: { name: string } };

const bodyOf = (request: FastifyRequest) => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));

function headersOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function idOf(fromBody: string | undefined, request: FastifyRequest): string {
  const header = request.headers['x-request-id'];
  return fromBody || (typeof header === 'string' && header !== '' ? header : randomUUID());
}

function parseV1(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalidArgument(`the body is not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalidArgument('expected a JSON object with "instances" or "inputs"');
  return value as Record<string, unknown>;
}

function writeError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (isOspreyError(error))
    return reply.status(HTTP_STATUS[error.code]).send({ error: error.message, code: error.code });
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return reply.status(status).send({ error: (error as Error).message, code: 'INVALID_ARGUMENT' });
  request.log.error({ err: error }, 'explain route failed');
  return reply.status(500).send({ error: 'internal error while explaining', code: 'INTERNAL' });
}

/** The explain routes over `server`, as a Fastify plugin. */
export function explainerRoutes(
  server: ExplainingServer,
  options: ExplainerRoutesOptions = {},
): FastifyPluginAsync {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    app.setErrorHandler(writeError);

    app.post('/v2/models/:name/explain', async (request: FastifyRequest<NameParam>) => {
      const header = request.headers['inference-header-content-length'];
      const decoded = decodeOipRequest(bodyOf(request), Array.isArray(header) ? header[0] : header);
      const id = idOf(decoded.id, request);
      return server.explain(request.params.name, { id, inputs: decoded.inputs, headers: headersOf(request) });
    });

    if (!options.kserveV1) return;
    // A regex parameter, so `{m}:explain` routes here while the adapter's `/v1/models/:name` keeps `:predict`.
    app.post('/v1/models/:name(^[^:/]+)::explain', async (request: FastifyRequest<NameParam>) => {
      const { signature } = server.endpoint(request.params.name);
      const body = parseV1(bodyOf(request));
      const has = (k: string) => body[k] !== undefined;
      if (has('instances') === has('inputs'))
        throw invalidArgument('Expected exactly one of "instances" or "inputs" in the request body');
      const inputs = has('instances')
        ? tensorsFromInstances(body.instances, signature, 'instances')
        : tensorsFromColumnar(body.inputs, signature, 'inputs');
      return server.explain(request.params.name, {
        id: idOf(undefined, request),
        inputs,
        headers: headersOf(request),
      });
    });
  };
}
