import type { Registry } from 'prom-client';
import { ERROR_CODES, type ErrorCode, invalidArgument } from '../../errors/index.js';
import type { ModelEndpoint } from '../types.js';
import { labelValues, servingMetrics } from './serving-metrics.js';

/** Labels for `withMetrics`; `node` defaults to the endpoint's name, `model` and `version` to the endpoint's. */
export interface EndpointMetricLabels {
  deployment: string;
  node?: string;
  model?: string;
  version?: string;
}

/**
 * Wraps `endpoint` so each request is counted by outcome, timed, and tracked while in flight, on
 * `registry` (never prom-client's global one). The label children are bound once here, so a request
 * costs two clock reads, a gauge inc/dec, a histogram observe and a counter inc.
 */
export function withMetrics(
  endpoint: ModelEndpoint,
  registry: Registry,
  labels: EndpointMetricLabels,
): ModelEndpoint {
  if (typeof labels?.deployment !== 'string' || labels.deployment === '')
    throw invalidArgument('metric labels need a non-empty deployment');
  const m = servingMetrics(registry);
  const version = labels.version ?? endpoint.version;
  const values = labelValues({
    deployment: labels.deployment,
    node: labels.node ?? endpoint.name,
    model: labels.model ?? endpoint.name,
    ...(version !== undefined ? { version } : {}),
  });
  const inFlight = m.inFlight.labels(values);
  const duration = m.duration.labels(values);
  const success = m.requests.labels({ ...values, outcome: 'success', code: 'OK' });
  // Touch the success series so a scrape shows 0 before the first request, as Triton and MLServer do.
  success.inc(0);
  inFlight.set(0);
  const failure = (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    // Only the closed set of Osprey codes, so a stray `code` (e.g. ECONNRESET) cannot grow the label set.
    const known = ERROR_CODES.includes(code as ErrorCode) ? (code as ErrorCode) : 'INTERNAL';
    m.requests.inc({ ...values, outcome: 'failure', code: known });
  };
  const wrapped: ModelEndpoint = {
    name: endpoint.name,
    ...(endpoint.version !== undefined ? { version: endpoint.version } : {}),
    platform: endpoint.platform,
    signature: endpoint.signature,
    ready: () => endpoint.ready(),
    async infer(request, options) {
      const start = performance.now();
      inFlight.inc();
      try {
        const response = await endpoint.infer(request, options);
        success.inc();
        return response;
      } catch (error) {
        failure(error);
        throw error;
      } finally {
        inFlight.dec();
        duration.observe((performance.now() - start) / 1000);
      }
    },
  };
  const feedback = endpoint.feedback?.bind(endpoint);
  if (feedback !== undefined) wrapped.feedback = feedback;
  return wrapped;
}
