import { ERROR_CODES, type ErrorCode, OspreyError } from '../../errors/index.js';
import type { JobError } from './file-ops.js';

/** Turns an error reported by a file job into an OspreyError a user can act on. */
export function jobError(error: JobError, path: string): Error {
  const code = error.code;
  if (code !== undefined && (ERROR_CODES as readonly string[]).includes(code))
    return new OspreyError(code as ErrorCode, error.message);
  if (code === 'ENOENT')
    return new OspreyError('CONFLICT', `${path} disappeared while being read; try again`);
  if (code === 'EACCES' || code === 'EPERM')
    return new OspreyError('PERMISSION_DENIED', `cannot access ${path}: ${error.message}`);
  if (code === 'ENOSPC') return new OspreyError('RESOURCE_EXHAUSTED', `no space left writing ${path}`);
  return new Error(`${path}: ${error.message}`);
}
