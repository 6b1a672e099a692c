import { invalidArgument, isOspreyError } from '../../errors/index.js';

/**
 * Parses an MLflow request body the way MLflow's server reads it (mlflow/server/handlers.py
 * `_get_request_message`), with Fastify's protection against prototype poisoning kept:
 * - Python's json module writes and reads the bare tokens `NaN`, `Infinity` and `-Infinity`, so a
 *   metric value may arrive as `"value": NaN`; such tokens are read as the strings proto JSON uses.
 * - A body that is itself a JSON string is decoded a second time (older clients double-encode).
 * - An empty body is the empty request `{}`.
 * Anything else that is not JSON is INVALID_ARGUMENT, never an internal error.
 */
export function parseMlflowJson(text: string): unknown {
  if (text.trim() === '') return {};
  const value = parseJson(text);
  return typeof value === 'string' ? parseJson(value) : value;
}

function parseJson(text: string): unknown {
  const reviver = /__proto__|constructor/.test(text) ? rejectPoisoning : undefined;
  try {
    return JSON.parse(text, reviver);
  } catch (error) {
    if (isOspreyError(error)) throw error;
    const quoted = quoteNonFinite(text);
    if (quoted !== undefined) {
      try {
        return JSON.parse(quoted, reviver);
      } catch (retryError) {
        if (isOspreyError(retryError)) throw retryError;
      }
    }
    throw invalidArgument(`Malformed JSON request body: ${(error as Error).message}`);
  }
}

function rejectPoisoning(key: string, value: unknown): unknown {
  if (key === '__proto__') throw invalidArgument('Request body contains a forbidden "__proto__" key');
  if (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value)
    throw invalidArgument('Request body contains a forbidden "constructor.prototype" key');
  return value;
}

const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'] as const;

/** Quotes bare NaN/Infinity/-Infinity tokens outside strings; undefined when there are none. */
function quoteNonFinite(text: string): string | undefined {
  let out = '';
  let changed = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const token = NON_FINITE.find((t) => text.startsWith(t, i));
    if (token) {
      out += `"${token}"`;
      i += token.length - 1;
      changed = true;
      continue;
    }
    out += c;
  }
  return changed ? out : undefined;
}
