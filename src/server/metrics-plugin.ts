import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of the server itself, added to `registry` (the Osprey instance's, which serving and
 * monitors share; never the global default registry) and served at `/metrics`. Several apps may share
 * one registry: the metrics are created once.
 */
export function registerServerMetrics(app: FastifyInstance, registry = new Registry()): Registry {
  const existing = registry.getSingleMetric('osprey_http_requests_total');
  if (!existing) collectDefaultMetrics({ register: registry, prefix: 'osprey_' });
  const requests =
    (existing as Counter<'route' | 'method' | 'status'> | undefined) ??
    new Counter({
      name: 'osprey_http_requests_total',
      help: 'HTTP requests by route, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric('osprey_http_request_duration_seconds') as
      | Histogram<'route' | 'method'>
      | undefined) ??
    new Histogram({
      name: 'osprey_http_request_duration_seconds',
      help: 'HTTP request latency by route and method.',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    duration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}
