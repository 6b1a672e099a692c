import { type ErrorCode, HTTP_STATUS, isOspreyError } from '../../errors/index.js';

/** A failure as every protocol layer reports it: an Osprey code, the HTTP status, a message. */
export interface ProtocolFailure {
  code: ErrorCode;
  status: number;
  message: string;
  /** False for a bug (logged, message hidden from the client). */
  expected: boolean;
}

/**
 * Classifies anything thrown while serving a request: OspreyErrors keep their code; Fastify's own
 * errors (body too large, bad content length, unsupported media type) keep their 4xx status;
 * anything else is an internal error whose message is not shown to clients.
 */
export function toFailure(error: unknown, bodyLimitBytes?: number): ProtocolFailure {
  if (isOspreyError(error)) {
    return { code: error.code, status: HTTP_STATUS[error.code], message: error.message, expected: true };
  }
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
    const limit = bodyLimitBytes === undefined ? '' : ` of ${bodyLimitBytes} bytes`;
    return {
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      message: `request body exceeds the limit${limit}`,
      expected: true,
    };
  }
  if (status >= 400 && status < 500) {
    const message = typeof e?.message === 'string' ? e.message : 'bad request';
    return { code: status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT', status, message, expected: true };
  }
  return {
    code: 'INTERNAL',
    status: 500,
    message: 'internal error while serving the request',
    expected: false,
  };
}
