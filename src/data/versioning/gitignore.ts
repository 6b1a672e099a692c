import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The .gitignore line matching exactly `name` in its own directory: anchored with a leading
 * slash, with the pattern characters escaped (gitignore(5): `\` quotes `*?[`, a leading `#` or
 * `!`, and trailing spaces).
 */
export function ignoreLine(name: string): string {
  let escaped = name.replace(/[*?[\\]/g, '\\$&').replace(/^[#!]/, '\\$&');
  const trailing = /( +)$/.exec(escaped)?.[1]?.length ?? 0;
  if (trailing > 0) escaped = escaped.slice(0, -trailing) + '\\ '.repeat(trailing);
  return `/${escaped}`;
}

/**
 * Makes sure `<dir>/.gitignore` ignores `name` (creating the file if needed). Idempotent: an
 * existing line for it (with or without a trailing slash) is left alone. Returns true if the file changed.
 */
export async function ensureIgnored(dir: string, name: string): Promise<boolean> {
  const file = join(dir, '.gitignore');
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const line = ignoreLine(name);
  const present = text.split(/\r?\n/).some((l) => l === line || l === `${line}/`);
  if (present) return false;
  const next = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
  const temp = join(dir, `.gitignore.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, next, { flag: 'wx' });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
  return true;
}
