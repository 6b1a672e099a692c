import { invalidArgument } from '../errors/index.js';

/**
 * Checks an artifact path relative to its root and returns it in canonical form (no leading or trailing
 * slash). Anything that could name a place outside the root is rejected rather than rewritten: absolute
 * paths, `..` and `.` segments, backslashes, drive letters, NUL and control characters. Percent-decoding
 * happens once, at the HTTP edge; what arrives here is taken literally.
 */
export function normalizeArtifactPath(path: unknown, { allowEmpty = false } = {}): string {
  if (typeof path !== 'string') throw invalidArgument('artifact path must be a string');
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') {
    if (allowEmpty && !path.startsWith('/')) return '';
    throw invalidArgument(`invalid artifact path '${path}': it must be a relative path`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is rejected.
  if (/[\u0000-\u001f\\]/.test(trimmed) || /^[a-zA-Z]:/.test(trimmed) || trimmed.startsWith('/')) {
    throw invalidArgument(`invalid artifact path '${path}': it must be a relative path without backslashes`);
  }
  for (const segment of trimmed.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw invalidArgument(`invalid artifact path '${path}': '${segment || '//'}' segments are not allowed`);
    }
  }
  return trimmed;
}
