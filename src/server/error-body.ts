import { type ErrorCode, isOspreyError, OspreyError } from '../errors/index.js';

/** Fastify's own errors (bad JSON, oversize body, unsupported media type) expressed as OspreyErrors. */
export function toOspreyError(error: unknown): OspreyError | undefined {
  if (isOspreyError(error)) return error;
  const e = error as { code?: string; statusCode?: number; message?: string; validation?: unknown };
  if (!e || typeof e !== 'object') return undefined;
  const code = FASTIFY_CODES[e.code ?? ''] ?? (e.validation ? 'INVALID_ARGUMENT' : undefined);
  if (code) return new OspreyError(code, e.message ?? code);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new OspreyError(
      e.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT',
      e.message ?? 'bad request',
    );
  }
  return undefined;
}

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'INVALID_ARGUMENT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_ARGUMENT',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_ARGUMENT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_ARGUMENT',
  FST_ERR_VALIDATION: 'INVALID_ARGUMENT',
  ERR_STREAM_PREMATURE_CLOSE: 'INVALID_ARGUMENT',
};
