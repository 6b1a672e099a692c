import type { FastifyInstance } from 'fastify';
import type { Osprey } from '../../app/index.js';
import { ARTIFACT_API } from './artifact-endpoints.js';
import { DEPLOYMENT_API } from './deployment-endpoints.js';
import { mountEndpoints } from './endpoint.js';
import { MONITOR_API } from './monitor-endpoints.js';
import { REGISTRY_API } from './registry-endpoints.js';
import { TRACKING_API } from './tracking-endpoints.js';

/** Osprey's own REST API under /api/v1. */
export async function apiRoutes(app: FastifyInstance, { osprey }: { osprey: Osprey }) {
  await app.register(
    async (api) => {
      mountEndpoints(api, osprey, [
        ...TRACKING_API,
        ...REGISTRY_API,
        ...DEPLOYMENT_API,
        ...MONITOR_API,
      ] as never);
      await api.register(async (raw) => {
        raw.removeAllContentTypeParsers();
        raw.addContentTypeParser('*', (_request, _payload, done) => done(null));
        mountEndpoints(raw, osprey, ARTIFACT_API as never);
      });
    },
    { prefix: '/api/v1' },
  );
}
