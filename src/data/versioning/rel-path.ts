import { invalidArgument } from '../../errors/index.js';

// Control characters would break the line-oriented files we write (.gitignore) and terminals.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is exactly what it matches
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why a relative POSIX path is unsafe to join under a root, or undefined when it is safe: no
 * absolute paths, no `..`, `.` or empty segments, no backslashes (a separator on Windows, so
 * `..\x` would escape there) and no control characters.
 */
export function unsafeRelativePath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'must be a non-empty string';
  if (path.startsWith('/')) return 'must be relative';
  if (path.includes('\\')) return 'must not contain a backslash';
  if (CONTROL.test(path)) return 'must not contain control characters';
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return `has a "${segment}" segment`;
  }
  return undefined;
}

/** Returns `path` if it is a safe relative POSIX path, else throws INVALID_ARGUMENT naming `what`. */
export function assertRelativePath(path: unknown, what: string): string {
  const reason = unsafeRelativePath(path);
  if (reason !== undefined) throw invalidArgument(`${what} ${JSON.stringify(path)} ${reason}`);
  return path as string;
}

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 encoding (JS's
 * default sort compares UTF-16 code units, which puts U+E000..U+FFFF after astral characters).
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Move surrogates (0xD800-0xDFFF) above 0xE000-0xFFFF, as their code points are.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
