import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { alreadyExists, invalidArgument } from '../../errors/index.js';
import { inferSignature } from './infer-signature.js';
import { formatManifest, validateManifest, validateSignature } from './manifest-io.js';
import {
  type Flavor,
  FORMAT_VERSION,
  type JsFlavorConfig,
  MANIFEST_FILE,
  type ModelManifest,
  type ModelMetadata,
  type OnnxFlavorConfig,
  type RemoteFlavorConfig,
  type Signature,
  type TfjsFlavorConfig,
} from './manifest-schema.js';
import { ospreyVersion } from './osprey-version.js';
import { resolveInside } from './package-path.js';

/** File name the input example is written under. */
export const INPUT_EXAMPLE_FILE = 'input_example.json';

/** Contents of one package file: bytes, UTF-8 text, or a local file to copy. */
export type PackageFileSource = Uint8Array | string | { file: string };

/** What {@link writeModelPackage} needs; flavor settings not given take the defaults shown. */
export interface WriteModelPackageInput {
  flavor: Flavor;
  /** Default `{ file: 'model.onnx' }`. */
  onnx?: Partial<OnnxFlavorConfig>;
  /** Default `{ file: 'model.json', format: 'layers' }`. */
  tfjs?: Partial<TfjsFlavorConfig>;
  /** Default `{ module: 'model.mjs', export: 'default' }`. */
  js?: Partial<JsFlavorConfig>;
  /** Required for the remote flavor. */
  remote?: RemoteFlavorConfig;
  /** Package-relative file name → contents. */
  files?: Record<string, PackageFileSource>;
  /** Inferred from `inputExample` when absent. */
  signature?: Signature;
  /** Any example input (rows, named tensors, OIP request), written as input_example.json. */
  inputExample?: unknown;
  /** `createdAt` (now) and `ospreyVersion` are filled in when absent. */
  metadata?: Partial<ModelMetadata>;
}

function flavorSection(input: WriteModelPackageInput): Record<string, unknown> {
  switch (input.flavor) {
    case 'onnx':
      return { onnx: { file: 'model.onnx', ...input.onnx } };
    case 'tfjs':
      return { tfjs: { file: 'model.json', format: 'layers', ...input.tfjs } };
    case 'js':
      return { js: { module: 'model.mjs', export: 'default', ...input.js } };
    case 'remote':
      if (!input.remote) throw invalidArgument('the remote flavor needs remote: { url, model }');
      return { remote: input.remote };
    default:
      throw invalidArgument(`unknown flavor '${String(input.flavor)}' (expected onnx, tfjs, js or remote)`);
  }
}

/** The file the flavor loads, which must be among the package files. */
export function flavorEntryFile(manifest: ModelManifest): string | undefined {
  if (manifest.flavor === 'onnx') return manifest.onnx.file;
  if (manifest.flavor === 'tfjs') return manifest.tfjs.file;
  if (manifest.flavor === 'js') return manifest.js.module;
  return undefined;
}

/**
 * Writes a model package directory: the files, input_example.json and osprey-model.yaml. The
 * package is assembled in a sibling temp directory and renamed into place, so `dir` either holds a
 * complete package or nothing. ALREADY_EXISTS when `dir` exists and is not empty.
 */
export async function writeModelPackage(
  dir: string,
  input: WriteModelPackageInput,
): Promise<{ dir: string; manifest: ModelManifest }> {
  const target = resolve(dir);
  const files = input.files ?? {};
  for (const name of Object.keys(files)) {
    if (name === MANIFEST_FILE || (name === INPUT_EXAMPLE_FILE && input.inputExample !== undefined)) {
      throw invalidArgument(`files: '${name}' is written by writeModelPackage itself`);
    }
    resolveInside(target, name, 'file');
  }
  let signature: Signature | undefined;
  if (input.signature !== undefined) signature = validateSignature(input.signature);
  else if (input.inputExample !== undefined) signature = inferSignature(input.inputExample);

  const manifest = validateManifest({
    formatVersion: FORMAT_VERSION,
    flavor: input.flavor,
    ...flavorSection(input),
    ...(signature ? { signature } : {}),
    ...(input.inputExample !== undefined ? { inputExample: INPUT_EXAMPLE_FILE } : {}),
    metadata: { createdAt: new Date().toISOString(), ospreyVersion: ospreyVersion(), ...input.metadata },
  });
  const entry = flavorEntryFile(manifest);
  if (entry !== undefined && !(entry in files)) {
    throw invalidArgument(
      `files must include '${entry}', the ${manifest.flavor} model the manifest points at`,
    );
  }

  await assertEmptyOrMissing(target);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.osprey-tmp`);
  try {
    await mkdir(temp, { recursive: true });
    for (const [name, source] of Object.entries(files)) {
      const path = resolveInside(temp, name, 'file');
      await mkdir(dirname(path), { recursive: true });
      if (typeof source === 'string' || source instanceof Uint8Array) await writeFile(path, source);
      else await copyFile(source.file, path);
    }
    if (input.inputExample !== undefined) {
      await writeFile(
        join(temp, INPUT_EXAMPLE_FILE),
        `${JSON.stringify(input.inputExample, jsonReplacer)}\n`,
      );
    }
    await writeFile(join(temp, MANIFEST_FILE), formatManifest(manifest));
    await rmdir(target).catch(() => undefined);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (
      (error as NodeJS.ErrnoException).code === 'ENOTEMPTY' ||
      (error as NodeJS.ErrnoException).code === 'EEXIST'
    ) {
      throw alreadyExists(`model package directory ${target} already exists and is not empty`);
    }
    throw error;
  }
  return { dir: target, manifest };
}

async function assertEmptyOrMissing(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length > 0) {
      throw alreadyExists(`model package directory ${dir} already exists and is not empty`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw alreadyExists(`${dir} exists and is not a directory`);
    throw error;
  }
}

// Typed arrays and bigints in an example are written as plain JSON numbers.
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  }
  return value;
}
