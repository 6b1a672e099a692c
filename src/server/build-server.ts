import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Osprey } from '../app/index.js';
import { hostRoutes } from '../serving/host/index.js';
import { apiRoutes } from './api/index.js';
import { toOspreyError } from './error-body.js';
import { registerServerMetrics } from './metrics-plugin.js';
import { isMlflowUrl, mlflowEndpointNotFound, mlflowRoutes } from './mlflow/index.js';

export interface BuildServerOptions {
  /** pino logger options, or false for none (tests). */
  logger?: boolean | { level: string };
  bodyLimitBytes?: number;
}

/** Builds the HTTP app on an Osprey instance; tests call this and use `inject()` without a socket. */
export async function buildServer(
  osprey: Osprey,
  options: BuildServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: osprey.config.logLevel },
    bodyLimit: options.bodyLimitBytes ?? osprey.config.server.bodyLimitBytes,
    // MLflow clients send repeated query keys (run_ids=a&run_ids=b); keep them as arrays.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
  });

  app.setErrorHandler((error, request, reply) => {
    const known = toOspreyError(error);
    if (!known) request.log.error({ err: error }, 'unhandled error');
    const code = known?.code ?? 'INTERNAL';
    return reply.status(known?.httpStatus ?? 500).send({
      code,
      message: known?.message ?? 'Internal server error',
      ...(known?.details ? { details: known.details } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) => {
    if (isMlflowUrl(request.url))
      return reply.status(404).send(mlflowEndpointNotFound(request.method, request.url));
    return reply
      .status(404)
      .send({ code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url.split('?')[0]}` });
  });

  await app.register(fastifySwagger, {
    // The document covers the native API; MLflow's routes are documented by MLflow.
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Osprey API', version: '1' },
    },
  });
  registerServerMetrics(app, osprey.metrics);
  app.get('/health', { schema: { hide: true } }, async () => 'OK');
  await app.register(apiRoutes, { osprey });
  await app.register(mlflowRoutes, { tracking: osprey.tracking, registry: osprey.registry });
  await app.register(hostRoutes(osprey.deployments, { bodyLimitBytes: app.initialConfig.bodyLimit }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
