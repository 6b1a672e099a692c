import { isAbsolute, relative, resolve, sep } from 'node:path';
import { invalidArgument } from '../../errors/index.js';

/**
 * True when `path` is a plain relative path that stays inside its root: forward slashes only, no
 * empty, `.` or `..` segments, no drive letters, NUL or control characters.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected.
  if (/[\u0000-\u001f\\]/.test(path)) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Resolves `path` under `root`, refusing anything that would land outside it (defence in depth:
 * the path is checked syntactically, then the resolved location is checked again).
 */
export function resolveInside(root: string, path: string, what = 'path'): string {
  if (!isSafeRelativePath(path)) {
    throw invalidArgument(
      `${what} '${path}' must be a relative path inside the package (no '..', '/' or '\\')`,
    );
  }
  const base = resolve(root);
  const target = resolve(base, path);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw invalidArgument(`${what} '${path}' escapes its directory`);
  }
  return target;
}
