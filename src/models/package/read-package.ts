import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { invalidArgument, notFound } from '../../errors/index.js';
import { parseManifest } from './manifest-io.js';
import { MANIFEST_FILE, type ModelManifest } from './manifest-schema.js';
import { resolveInside } from './package-path.js';
import { flavorEntryFile } from './write-package.js';

/** A model package read from disk: its absolute directory and validated manifest. */
export interface ModelPackage {
  readonly dir: string;
  readonly manifest: ModelManifest;
}

/**
 * Reads and validates a package directory: the manifest, and that every file it names exists.
 * NOT_FOUND for a missing directory, manifest or model file; INVALID_ARGUMENT for a bad manifest.
 */
export async function readModelPackage(dir: string): Promise<ModelPackage> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw notFound(`model package directory not found: ${root}`);
  if (!info.isDirectory()) throw invalidArgument(`model package must be a directory: ${root}`);
  let text: string;
  try {
    text = await readFile(join(root, MANIFEST_FILE), 'utf8');
  } catch {
    throw notFound(`${root} is not a model package: ${MANIFEST_FILE} is missing`);
  }
  const manifest = parseManifest(text, `${MANIFEST_FILE} in ${root}`);
  const named = [flavorEntryFile(manifest), manifest.inputExample].filter(
    (f): f is string => f !== undefined,
  );
  for (const file of named) {
    const found = await stat(resolveInside(root, file, 'file')).catch(() => undefined);
    if (!found?.isFile()) throw notFound(`'${file}' named by ${MANIFEST_FILE} is missing from ${root}`);
  }
  return Object.freeze({ dir: root, manifest });
}

/** The package's input example parsed from JSON, or undefined when it has none. */
export async function readInputExample(pkg: ModelPackage): Promise<unknown> {
  const file = pkg.manifest.inputExample;
  if (file === undefined) return undefined;
  const text = await readFile(resolveInside(pkg.dir, file, 'inputExample'), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidArgument(`input example ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
