import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { invalidArgument, notFound } from '../../errors/index.js';
import { unsafeRelativePath } from './rel-path.js';

/** The extension of pointer files: `data/raw` is described by `data/raw.osprey`. */
export const POINTER_SUFFIX = '.osprey';

/** One tracked output as recorded in a pointer file. */
export interface PointerOut {
  /** Path of the data relative to the pointer file's directory (POSIX). */
  path: string;
  /** Hex SHA-256: of the file's bytes, or of a directory's canonical manifest. */
  digest: string;
  /** Bytes of the file, or of all the directory's files. */
  size: number;
  /** Number of files, for directories. */
  nfiles?: number;
  isDir?: boolean;
  /** Symlinks inside (or at) the path were followed when it was added; status follows them too. */
  followSymlinks?: boolean;
}

/** A parsed pointer file. */
export interface Pointer {
  /** Absolute path of the `.osprey` file. */
  file: string;
  outs: PointerOut[];
  /** Keys the file had that Osprey does not interpret (kept when the file is rewritten). */
  extra: Record<string, unknown>;
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;

const OUT_SCHEMA = z.looseObject({
  path: z.string().refine((p) => unsafeRelativePath(p) === undefined, {
    message: 'must be a relative path without "..", "." or empty segments',
  }),
  digest: z.string().regex(DIGEST, 'must be sha256:<64 lowercase hex characters>'),
  size: z.number().int().nonnegative(),
  nfiles: z.number().int().nonnegative().optional(),
  isDir: z.boolean().optional(),
  followSymlinks: z.boolean().optional(),
});
const POINTER_SCHEMA = z.looseObject({ outs: z.array(OUT_SCHEMA).min(1) });

/** The pointer file describing data at `dataPath` (absolute). */
export function pointerPathOf(dataPath: string): string {
  return `${dataPath}${POINTER_SUFFIX}`;
}

/** Parses pointer YAML; INVALID_ARGUMENT naming the file and the offending field when malformed. */
export function parsePointer(text: string, file: string): Pointer {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw invalidArgument(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  const result = POINTER_SCHEMA.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidArgument(`${file}: ${issue?.path.join('.') || 'root'} ${issue?.message ?? 'is invalid'}`);
  }
  const { outs, ...extra } = result.data;
  return {
    file,
    extra,
    outs: outs.map((out) => {
      const { digest, ...rest } = out;
      return { ...rest, digest: DIGEST.exec(digest)![1]! };
    }),
  };
}

/** Reads and parses a pointer file; NOT_FOUND when it does not exist. */
export async function readPointer(file: string): Promise<Pointer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`pointer file not found: ${file}`);
    throw error;
  }
  return parsePointer(text, file);
}

/** The YAML text of a pointer: `outs` first, with `sha256:`-prefixed digests. */
export function formatPointer(pointer: Omit<Pointer, 'file'>): string {
  const outs = pointer.outs.map(({ path, digest, size, nfiles, isDir, followSymlinks, ...rest }) => ({
    path,
    digest: `sha256:${digest}`,
    size,
    ...(nfiles === undefined ? {} : { nfiles }),
    ...(isDir ? { isDir } : {}),
    ...(followSymlinks ? { followSymlinks } : {}),
    ...rest,
  }));
  return (
    '# Osprey data pointer: commit this file; the data lives in the Osprey cache and remotes.\n' +
    stringify({ outs, ...pointer.extra })
  );
}

/** Writes a pointer file atomically (sibling temp file + rename). */
export async function writePointer(pointer: Pointer): Promise<void> {
  const temp = join(
    dirname(pointer.file),
    `.${basename(pointer.file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temp, formatPointer(pointer), { flag: 'wx' });
    await rename(temp, pointer.file);
  } finally {
    await rm(temp, { force: true });
  }
}
