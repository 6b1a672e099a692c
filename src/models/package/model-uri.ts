import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument } from '../../errors/index.js';
import { isSafeRelativePath } from './package-path.js';

/** A model URI taken apart. */
export type ModelUri =
  | { kind: 'run'; runId: string; path: string }
  /** A registry URI (`models:/<name>/<version>`, `@<alias>`, `/<stage>`, `/latest`); the registry parses it. */
  | { kind: 'registry'; uri: string }
  | { kind: 'path'; path: string };

const FORMS =
  'runs:/<runId>/<path>, models:/<name>/<version>, models:/<name>@<alias>, file:// URL or a local path';

/**
 * Parses `runs:/<runId>/<path>`, `models:/<name>/<version>`, `models:/<name>@<alias>`, a `file:` URL
 * or a local path (resolved against `cwd`). INVALID_ARGUMENT for anything else.
 */
export function parseModelUri(uri: string, cwd = '.'): ModelUri {
  if (typeof uri !== 'string' || uri.trim() === '')
    throw invalidArgument(`model URI must be one of: ${FORMS}`);
  if (uri.startsWith('runs:/')) {
    const rest = uri.slice('runs:/'.length).replace(/\/+$/, '');
    const slash = rest.indexOf('/');
    const runId = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? '' : rest.slice(slash + 1);
    if (!/^[\w-]+$/.test(runId) || !isSafeRelativePath(path)) {
      throw invalidArgument(`invalid model URI '${uri}': expected runs:/<runId>/<artifact path>`);
    }
    return { kind: 'run', runId, path };
  }
  if (uri.startsWith('models:/')) return { kind: 'registry', uri };
  if (uri.startsWith('file:')) {
    try {
      return { kind: 'path', path: fileURLToPath(uri) };
    } catch (error) {
      throw invalidArgument(`invalid file URL '${uri}': ${(error as Error).message}`);
    }
  }
  // Anything else with a scheme (s3:, http:, …) is not a place fetchModel can read; one-letter
  // "schemes" are Windows drive letters.
  if (/^[a-zA-Z][\w+.-]+:/.test(uri) && !isAbsolute(uri)) {
    throw invalidArgument(`unsupported model URI '${uri}': expected one of ${FORMS}`);
  }
  return { kind: 'path', path: resolve(cwd, uri) };
}
