/**
 * The files around validation: reading a schema or a reference profile (with messages that
 * name the file), writing either atomically, and `validateFile`, the whole check in one call.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { invalidArgument, notFound } from '../../errors/index.js';
import { writeFileAtomically } from '../../store/blob/index.js';
import { type DataSchema, parseSchema } from './data-schema.js';
import { type ProfileOptions, profileFile } from './profile-file.js';
import type { DatasetProfile } from './types.js';
import { type Anomaly, validateProfile } from './validate.js';

/** Reads and checks a YAML schema file. */
export async function readSchemaFile(path: string): Promise<DataSchema> {
  return parseSchema(await readText(path, 'schema'), path);
}

/** Reads a profile written by `osprey data profile -o`. */
export async function readProfileFile(path: string): Promise<DatasetProfile> {
  const text = await readText(path, 'reference profile');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const profile = value as Partial<DatasetProfile> | null;
  if (profile?.format !== 'osprey.profile/v1' || !Array.isArray(profile.columns))
    throw invalidArgument(`${path}: not an Osprey profile (expected "format": "osprey.profile/v1")`);
  return profile as DatasetProfile;
}

/** Writes text to `path` atomically (temp file + rename). */
export async function writeTextFile(path: string, text: string): Promise<void> {
  await writeFileAtomically(path, Readable.from([Buffer.from(text)]));
}

export interface ValidationReport {
  profile: DatasetProfile;
  anomalies: Anomaly[];
}

/**
 * Profiles `path` (numeric histograms on the reference's bins, so drift compares like with
 * like) and checks it against `schema`.
 */
export async function validateFile(
  path: string,
  schema: DataSchema,
  options: { reference?: DatasetProfile } & Omit<ProfileOptions, 'histogramEdges'> = {},
): Promise<ValidationReport> {
  const { reference, ...profileOptions } = options;
  const histogramEdges = new Map<string, number[]>();
  for (const c of reference?.columns ?? [])
    if (c.histogram !== undefined) histogramEdges.set(c.name, c.histogram.edges);
  const profile = await profileFile(path, { ...profileOptions, histogramEdges });
  return { profile, anomalies: validateProfile(profile, schema, reference) };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw notFound(`${what} not found: ${path}`);
    throw error;
  }
}
