import { invalidArgument } from '../../errors/index.js';
import type { InferenceRequest, ModelEndpoint } from '../types.js';
import type { PayloadLogger } from './payload-logger.js';

/**
 * The request header that opts one request out of payload logging: `x-osprey-no-log: 1` (or `true`).
 * For requests whose payloads must not be kept (personal data under a deletion request, health checks,
 * load tests). Metrics still count them.
 */
export const NO_LOG_HEADER = 'x-osprey-no-log';

export interface PayloadLoggingOptions {
  deployment: string;
  /** The graph node this endpoint is (default: the endpoint's name). */
  node?: string;
  /** Fraction of requests logged, in [0, 1] (default 1: all). Decided per request, before it runs. */
  sampleRate?: number;
  /** The traffic variant, logged as KServe's `endpoint` attribute (e.g. `default`, `canary`, `shadow`). */
  route?: string;
  /** Uniform [0, 1) source for sampling (default Math.random; pass a seeded one for reproducible tests). */
  random?: () => number;
}

/**
 * Wraps `endpoint` so each sampled request becomes a request event when it arrives and a response (or
 * error) event when it completes, and each feedback a feedback event. Logging never delays, fails or
 * alters a request: events go to the logger's bounded queue, which drops (and counts) when full.
 */
export function withPayloadLogging(
  endpoint: ModelEndpoint,
  logger: PayloadLogger,
  options: PayloadLoggingOptions,
): ModelEndpoint {
  const sampleRate = options.sampleRate ?? 1;
  if (!(sampleRate >= 0 && sampleRate <= 1))
    throw invalidArgument(`sampleRate must be in [0, 1], got ${sampleRate}`);
  if (typeof options.deployment !== 'string' || options.deployment === '')
    throw invalidArgument('deployment must be a non-empty string');
  const random = options.random ?? Math.random;
  const channel = logger.channel({
    deployment: options.deployment,
    node: options.node ?? endpoint.name,
    model: endpoint.name,
    ...(endpoint.version !== undefined ? { version: endpoint.version } : {}),
    ...(options.route !== undefined ? { route: options.route } : {}),
  });
  const sampled = (request: InferenceRequest): boolean => {
    const optOut = request.headers?.[NO_LOG_HEADER];
    if (optOut === '1' || optOut === 'true') return false;
    return sampleRate >= 1 || (sampleRate > 0 && random() < sampleRate);
  };
  const wrapped: ModelEndpoint = {
    name: endpoint.name,
    ...(endpoint.version !== undefined ? { version: endpoint.version } : {}),
    platform: endpoint.platform,
    signature: endpoint.signature,
    ready: () => endpoint.ready(),
    async infer(request, inferOptions) {
      if (!sampled(request)) return endpoint.infer(request, inferOptions);
      const start = performance.now();
      channel.log({ kind: 'request', time: Date.now(), request });
      try {
        const response = await endpoint.infer(request, inferOptions);
        const latencyMs = performance.now() - start;
        channel.log({ kind: 'response', time: Date.now(), request, response, latencyMs });
        return response;
      } catch (error) {
        channel.log({
          kind: 'error',
          time: Date.now(),
          request,
          error,
          latencyMs: performance.now() - start,
        });
        throw error;
      }
    },
  };
  const feedback = endpoint.feedback?.bind(endpoint);
  if (feedback !== undefined) {
    wrapped.feedback = async (f) => {
      await feedback(f);
      channel.log({ kind: 'feedback', time: Date.now(), feedback: f });
    };
  }
  return wrapped;
}
