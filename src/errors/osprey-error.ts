/** The closed set of error codes every Osprey module speaks. */
export const ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_ARGUMENT',
  'ALREADY_EXISTS',
  'CONFLICT',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one table from error code to HTTP status for Osprey's own API. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  INTERNAL: 500,
});

/**
 * An expected failure a caller can act on (bad input, missing entity, conflict).
 * Programmer bugs stay plain `Error` and surface as INTERNAL.
 */
export class OspreyError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'OspreyError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export function isOspreyError(value: unknown): value is OspreyError {
  return value instanceof OspreyError;
}

export const notFound = (message: string, details?: Record<string, unknown>) =>
  new OspreyError('NOT_FOUND', message, details);
export const invalidArgument = (message: string, details?: Record<string, unknown>) =>
  new OspreyError('INVALID_ARGUMENT', message, details);
export const alreadyExists = (message: string, details?: Record<string, unknown>) =>
  new OspreyError('ALREADY_EXISTS', message, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new OspreyError('CONFLICT', message, details);
