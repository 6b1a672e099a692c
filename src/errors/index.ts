export {
  alreadyExists,
  conflict,
  ERROR_CODES,
  type ErrorCode,
  HTTP_STATUS,
  invalidArgument,
  isOspreyError,
  notFound,
  OspreyError,
} from './osprey-error.js';
