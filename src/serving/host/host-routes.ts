import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import {
  kserveV1Routes,
  mlflowRoutes,
  oipRoutes,
  type ProtocolRouteOptions,
  seldonRoutes,
} from '../protocol/index.js';
import type { InferenceServer } from '../types.js';
import { canExplain, explainerRoutes } from './explainer-routes.js';

/** Wire formats a host can speak besides the Open Inference Protocol. */
export const ADAPTERS = ['mlflow', 'seldon', 'kserve-v1'] as const;
export type Adapter = (typeof ADAPTERS)[number];

export interface HostRoutesOptions extends ProtocolRouteOptions {
  /** Adapters mounted beside OIP (default none: a shared server keeps only the standard `/v2` paths). */
  adapters?: readonly Adapter[];
  /** The deployment MLflow `/invocations` and Seldon `/api/v1.0/predictions` serve when none is named. */
  defaultModel?: string;
  /** Serves `GET /metrics` from this registry when given. */
  metrics?: Registry;
}

/**
 * One Fastify plugin with every protocol over `server` (usually a DeploymentHost): OIP REST under
 * `/v2`, the chosen adapters, and optionally `/metrics`. Each protocol keeps its own error format.
 */
export function hostRoutes(server: InferenceServer, options: HostRoutesOptions = {}): FastifyPluginAsync {
  const { adapters = [], defaultModel, metrics, ...limits } = options;
  const named = defaultModel !== undefined ? { ...limits, defaultModel } : limits;
  return async (app: FastifyInstance) => {
    await app.register(oipRoutes(server, limits));
    if (adapters.includes('kserve-v1')) await app.register(kserveV1Routes(server, limits));
    if (adapters.includes('mlflow')) await app.register(mlflowRoutes(server, named));
    if (adapters.includes('seldon')) await app.register(seldonRoutes(server, named));
    if (canExplain(server))
      await app.register(explainerRoutes(server, { ...limits, kserveV1: adapters.includes('kserve-v1') }));
    if (metrics) {
      app.get('/metrics', async (_request, reply) =>
        reply.header('content-type', metrics.contentType).send(await metrics.metrics()),
      );
    }
  };
}
