import type { ErrorCode } from '../../errors/index.js';

/** MLflow's error codes and HTTP statuses (mlflow/exceptions.py ERROR_CODE_TO_HTTP_STATUS). */
const MLFLOW_ERRORS: Readonly<Record<ErrorCode, { errorCode: string; status: number }>> = {
  NOT_FOUND: { errorCode: 'RESOURCE_DOES_NOT_EXIST', status: 404 },
  INVALID_ARGUMENT: { errorCode: 'INVALID_PARAMETER_VALUE', status: 400 },
  // MLflow answers 400 (not 409) for "already exists".
  ALREADY_EXISTS: { errorCode: 'RESOURCE_ALREADY_EXISTS', status: 400 },
  CONFLICT: { errorCode: 'RESOURCE_CONFLICT', status: 409 },
  PERMISSION_DENIED: { errorCode: 'PERMISSION_DENIED', status: 403 },
  RESOURCE_EXHAUSTED: { errorCode: 'RESOURCE_EXHAUSTED', status: 429 },
  PAYLOAD_TOO_LARGE: { errorCode: 'INVALID_PARAMETER_VALUE', status: 413 },
  UNAVAILABLE: { errorCode: 'TEMPORARILY_UNAVAILABLE', status: 503 },
  DEADLINE_EXCEEDED: { errorCode: 'DEADLINE_EXCEEDED', status: 504 },
  INTERNAL: { errorCode: 'INTERNAL_ERROR', status: 500 },
};

/** The MLflow `{error_code, message}` body and status for an Osprey error code. */
export function mlflowError(
  code: ErrorCode,
  message: string,
): { status: number; body: { error_code: string; message: string } } {
  const { errorCode, status } = MLFLOW_ERRORS[code];
  return { status, body: { error_code: errorCode, message } };
}
