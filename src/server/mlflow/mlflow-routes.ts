import type { FastifyInstance } from 'fastify';
import type { Registry } from '../../registry/index.js';
import type { Tracking } from '../../tracking/index.js';
import { toOspreyError } from '../error-body.js';
import { ARTIFACT_PREFIXES, artifactProxyRoutes } from './artifact-proxy.js';
import { mlflowError } from './mlflow-errors.js';
import { MlflowInput } from './mlflow-input.js';
import { parseMlflowJson } from './mlflow-json.js';
import { REGISTRY_ENDPOINTS } from './registry-endpoints.js';
import { TRACKING_ENDPOINTS } from './tracking-endpoints.js';

const PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

/** True for URLs in MLflow's namespace, which answer errors in MLflow's format. */
export function isMlflowUrl(url: string): boolean {
  return /^\/(ajax-)?api\/2\.0\/mlflow/.test(url) || url.startsWith('/get-artifact');
}

/** MLflow's body for a route that does not exist. */
export function mlflowEndpointNotFound(method: string, url: string) {
  return { error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint for ${method} ${url.split('?')[0]}` };
}
const BATCH_BODY_LIMIT = 1_000_000;

/** Mounts the MLflow-compatible API (both prefixes from one endpoint table) with MLflow's error bodies. */
export async function mlflowRoutes(
  app: FastifyInstance,
  { tracking, registry }: { tracking: Tracking; registry: Registry },
) {
  app.setErrorHandler((error, request, reply) => {
    const known = toOspreyError(error);
    if (!known) request.log.error({ err: error }, 'unhandled error');
    const { status, body } = mlflowError(
      known?.code ?? 'INTERNAL',
      known?.message ?? 'Internal server error',
    );
    return reply.status(status).send(body);
  });
  // MLflow's POST bodies are JSON (read as its server reads them); any other media type is a 400 here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseMlflowJson(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  const endpoints = [
    ...TRACKING_ENDPOINTS.map((e) => ({ ...e, run: (input: MlflowInput) => e.handler(tracking, input) })),
    ...REGISTRY_ENDPOINTS.map((e) => ({ ...e, run: (input: MlflowInput) => e.handler(registry, input) })),
  ];
  for (const endpoint of endpoints) {
    for (const prefix of PREFIXES) {
      app.route({
        method: [...endpoint.methods],
        url: `${prefix}${endpoint.path}`,
        // log-batch carries MLflow's 1 MB request limit (MAX_BATCH_LOG_REQUEST_SIZE).
        ...(endpoint.path === '/runs/log-batch' ? { bodyLimit: BATCH_BODY_LIMIT } : {}),
        schema: { hide: true },
        handler: async (request) => {
          // GET (and HEAD, Fastify's automatic twin) read the query string; POST, PATCH and DELETE a JSON body.
          const fields = request.method === 'GET' || request.method === 'HEAD' ? request.query : request.body;
          return endpoint.run(MlflowInput.from(fields));
        },
      });
    }
  }
  await app.register(artifactProxyRoutes, { tracking });
  await app.register(endpointNotFoundRoutes);
  app.get('/version', { schema: { hide: true } }, async () => '2.20.0');
}

/**
 * Any other path or method in MLflow's namespace is ENDPOINT_NOT_FOUND in MLflow's body. Declared as
 * wildcard routes (static routes win over them) in a scope that ignores request bodies, so a malformed,
 * oversized or non-JSON body sent to a wrong URL still gets MLflow's 404, not a parser error.
 */
async function endpointNotFoundRoutes(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  for (const prefix of [...PREFIXES, ...ARTIFACT_PREFIXES]) {
    app.all(`${prefix}/*`, { schema: { hide: true } }, (request, reply) =>
      reply.status(404).send(mlflowEndpointNotFound(request.method, request.url)),
    );
  }
}
