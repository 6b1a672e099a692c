import { Document, isScalar, isSeq, parse, visit } from 'yaml';
import type { z } from 'zod';
import { invalidArgument } from '../../errors/index.js';
import {
  FLAVORS,
  MANIFEST_FILE,
  ManifestSchema,
  type ModelManifest,
  type Signature,
  SignatureSchema,
} from './manifest-schema.js';

/** Parses and validates manifest YAML; INVALID_ARGUMENT naming every bad field otherwise. */
export function parseManifest(text: string, source = MANIFEST_FILE): ModelManifest {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw invalidArgument(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  return validateManifest(raw, source);
}

/** Validates a manifest object (as parsed from YAML or built in code). */
export function validateManifest(raw: unknown, source = MANIFEST_FILE): ModelManifest {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidArgument(`${source} must be a YAML mapping`);
  }
  // The discriminated union alone would only say "Invalid discriminator value": name what was given.
  const flavor = (raw as { flavor?: unknown }).flavor;
  if (!(FLAVORS as readonly unknown[]).includes(flavor)) {
    throw invalidArgument(
      `invalid ${source}: ${flavor === undefined ? 'flavor is missing' : `unknown flavor ${JSON.stringify(flavor)}`} (expected one of ${FLAVORS.join(', ')})`,
    );
  }
  const result = ManifestSchema.safeParse(raw);
  if (!result.success) throw invalidArgument(`invalid ${source}: ${formatIssues(result.error)}`);
  return result.data;
}

/** Validates a signature given in code (same rules as in the manifest). */
export function validateSignature(raw: unknown, source = 'signature'): Signature {
  const result = SignatureSchema.safeParse(raw);
  if (!result.success) throw invalidArgument(`invalid ${source}: ${formatIssues(result.error)}`);
  return result.data;
}

/** The manifest as YAML text: keys in a fixed order, shapes and column lists on one line. */
export function formatManifest(manifest: ModelManifest): string {
  const { formatVersion, flavor, signature, inputExample, metadata } = manifest;
  const config = (manifest as Record<string, unknown>)[flavor];
  const ordered = { formatVersion, flavor, [flavor]: config, signature, inputExample, metadata };
  const doc = new Document(JSON.parse(JSON.stringify(ordered)) as unknown);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FLOW_KEYS.has(String(pair.key.value)) && isSeq(pair.value))
        pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

const FLOW_KEYS = new Set(['shape', 'columns', 'datasetDigests']);

/** `signature.inputs[0].datatype: Invalid option: …; metadata.createdAt: …` */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
        .join('');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
