import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ProtocolFailure, toFailure } from './protocol-error.js';

/** Options every protocol plugin takes. */
export interface ProtocolRouteOptions {
  /** Largest request body accepted, in bytes; larger bodies get 413 (default 16 MiB). */
  bodyLimitBytes?: number;
}

/** Default body limit of the protocol routes: 16 MiB (gRPC's default is 4 MiB; tensors run larger). */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Prepares an encapsulated plugin scope: every body arrives as a raw Buffer (the protocol decodes
 * it, so malformed JSON and binary payloads get the protocol's own error body), within the body
 * limit, and every error is written by `write` in the protocol's format.
 */
export function prepareScope(
  app: FastifyInstance,
  options: ProtocolRouteOptions,
  write: (reply: FastifyReply, failure: ProtocolFailure) => FastifyReply,
): void {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  if (!Number.isInteger(bodyLimit) || bodyLimit <= 0) {
    throw new RangeError(`bodyLimitBytes must be a positive integer, got ${bodyLimit}`);
  }
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error, request, reply) => {
    const failure = toFailure(error, bodyLimit);
    if (!failure.expected) request.log.error({ err: error }, 'protocol route failed');
    return write(reply, failure);
  });
}

/** The raw request body (empty when none was sent). */
export function bodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** Lower-cased request headers with string values, as `InferenceRequest.headers` carries them. */
export function headersOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  return out;
}

/** The request id: the client's (body or `x-request-id` header) or a fresh UUID. */
export function requestId(fromBody: string | undefined, request: FastifyRequest): string {
  if (fromBody) return fromBody;
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && header !== '' ? header : randomUUID();
}

/** An AbortSignal that fires when the client goes away before the response is written. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}
