import { createHash } from 'node:crypto';
import { invalidArgument } from '../../errors/index.js';
import { isDigest } from '../../store/blob/index.js';
import { compareCodePoints, unsafeRelativePath } from './rel-path.js';

/** One file of a tracked directory. */
export interface ManifestEntry {
  /** POSIX path relative to the directory (validated: no `..`, absolute or empty segments). */
  path: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  digest: string;
  size: number;
  /** 0o644 or 0o755: only the executable bit is kept, so umask differences do not change the digest. */
  mode: number;
}

/** The files of a tracked directory, sorted by path. */
export interface Manifest {
  entries: ManifestEntry[];
}

export const MANIFEST_VERSION = 1;
export const FILE_MODE = 0o644;
export const EXEC_MODE = 0o755;

/** The manifest mode of a file with POSIX permission bits `mode`: executable or not. */
export function manifestMode(mode: number): number {
  return (mode & 0o111) !== 0 ? EXEC_MODE : FILE_MODE;
}

/**
 * The canonical bytes of a manifest: UTF-8 JSON as written by JSON.stringify (ECMA-262 §25.5.2,
 * no whitespace), keys in the fixed order version, algorithm, entries and, per entry, path,
 * digest, size, mode; entries sorted by the UTF-8 bytes of their path. The directory's digest is
 * the SHA-256 of these bytes, and they are stored in the cache as their own object.
 */
export function serializeManifest(manifest: Manifest): Buffer {
  const entries = [...manifest.entries].sort((a, b) => compareCodePoints(a.path, b.path));
  checkEntries(entries);
  const canonical = entries.map(({ path, digest, size, mode }) => ({ path, digest, size, mode }));
  return Buffer.from(
    JSON.stringify({ version: MANIFEST_VERSION, algorithm: 'sha256', entries: canonical }),
    'utf8',
  );
}

/** The SHA-256 (hex) of some bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Parses and validates manifest bytes (which may come from a remote nobody vetted): every path
 * must be safe to join under the directory, sorted, unique, and no file may also be a directory
 * of another entry. Throws INVALID_ARGUMENT otherwise.
 */
export function parseManifest(bytes: Uint8Array): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw invalidArgument(`directory manifest is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument('directory manifest must be a JSON object');
  const { version, algorithm, entries } = value as Record<string, unknown>;
  if (version !== MANIFEST_VERSION)
    throw invalidArgument(`unsupported directory manifest version ${JSON.stringify(version)}`);
  if (algorithm !== 'sha256')
    throw invalidArgument(`unsupported manifest hash algorithm ${JSON.stringify(algorithm)}`);
  if (!Array.isArray(entries)) throw invalidArgument('directory manifest entries must be an array');
  const parsed = entries.map(parseEntry);
  for (let i = 1; i < parsed.length; i++) {
    if (compareCodePoints(parsed[i - 1]!.path, parsed[i]!.path) >= 0)
      throw invalidArgument(
        `directory manifest entries must be sorted and unique (at ${JSON.stringify(parsed[i]!.path)})`,
      );
  }
  checkEntries(parsed);
  return { entries: parsed };
}

function parseEntry(raw: unknown): ManifestEntry {
  if (typeof raw !== 'object' || raw === null) throw invalidArgument('manifest entry must be an object');
  const { path, digest, size, mode } = raw as Record<string, unknown>;
  const reason = unsafeRelativePath(path);
  if (reason !== undefined)
    throw invalidArgument(`unsafe path ${JSON.stringify(path)} in directory manifest: ${reason}`);
  if (!isDigest(digest)) throw invalidArgument(`invalid digest for ${JSON.stringify(path)} in manifest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw invalidArgument(`invalid size for ${JSON.stringify(path)} in manifest`);
  if (mode !== FILE_MODE && mode !== EXEC_MODE)
    throw invalidArgument(`invalid mode for ${JSON.stringify(path)} in manifest (420 or 493)`);
  return { path: path as string, digest, size, mode };
}

// Rejects unsafe paths and a path that is both a file and the parent of another file.
function checkEntries(entries: readonly ManifestEntry[]): void {
  const files = new Set<string>();
  for (const entry of entries) {
    const reason = unsafeRelativePath(entry.path);
    if (reason !== undefined)
      throw invalidArgument(`unsafe path ${JSON.stringify(entry.path)} in directory manifest: ${reason}`);
    if (files.has(entry.path)) throw invalidArgument(`duplicate manifest path ${JSON.stringify(entry.path)}`);
    files.add(entry.path);
  }
  for (const path of files) {
    for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) {
      if (files.has(path.slice(0, cut)))
        throw invalidArgument(
          `manifest path ${JSON.stringify(path.slice(0, cut))} is a file and a directory`,
        );
    }
  }
}

/** Total bytes and file count of a manifest. */
export function manifestTotals(manifest: Manifest): { size: number; nfiles: number } {
  let size = 0;
  for (const entry of manifest.entries) size += entry.size;
  return { size, nfiles: manifest.entries.length };
}
