import { invalidArgument } from '../errors/index.js';
import { STAGES, type Stage } from './types.js';

/** MLflow's registry limits (mlflow/utils/validation.py). */
export const REGISTRY_LIMITS = Object.freeze({
  nameLength: 256,
  aliasLength: 255,
  tagValueLength: 5000,
  descriptionLength: 5000,
  searchModelsDefault: 100,
  searchModelsMax: 1000,
  searchVersionsDefault: 10_000,
  searchVersionsMax: 200_000,
});

/** Validates a registered model name: non-empty, bounded, no path separators that would break URIs. */
export function validateModelName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '')
    throw invalidArgument('Registered model name cannot be empty.');
  if (name.length > REGISTRY_LIMITS.nameLength) {
    throw invalidArgument(`Registered model name exceeds ${REGISTRY_LIMITS.nameLength} characters`);
  }
  if (name.includes('@') || name.includes(':') || name.includes('/')) {
    throw invalidArgument(`Invalid registered model name '${name}': '/', ':' and '@' would break model URIs`);
  }
  return name;
}

/** Validates a version number given as a string or number. */
export function validateVersion(version: unknown): number {
  const text = typeof version === 'number' ? String(version) : version;
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text)) {
    throw invalidArgument(`Model version must be a positive integer, got '${String(version)}'`);
  }
  return Number(text);
}

/** Validates an alias: `^[\w-]*$`, at most 255 characters; `latest` and `v<digits>` are reserved. */
export function validateAlias(alias: unknown): string {
  if (typeof alias !== 'string' || alias === '') throw invalidArgument('Alias cannot be empty.');
  if (alias.length > REGISTRY_LIMITS.aliasLength)
    throw invalidArgument(`Alias exceeds ${REGISTRY_LIMITS.aliasLength} characters`);
  if (!/^[\w-]+$/.test(alias)) {
    throw invalidArgument(
      `Invalid alias '${alias}': aliases may only contain letters, digits, underscores and dashes`,
    );
  }
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
    throw invalidArgument(`'${alias}' is reserved and cannot be used as an alias`);
  }
  return alias;
}

/** Canonical stage name, case-insensitively ("production" → "Production"). */
export function canonicalStage(stage: unknown): Stage {
  const found = STAGES.find((s) => typeof stage === 'string' && s.toLowerCase() === stage.toLowerCase());
  if (!found)
    throw invalidArgument(
      `Invalid Model Version stage: ${String(stage)}. Value must be one of ${STAGES.join(', ')}.`,
    );
  return found;
}

/**
 * Refuses a version source with a `..` segment or a NUL byte, however often percent-encoded, as MLflow's
 * server does (`_validate_non_local_source_contains_relative_paths`): once resolved, such a source could
 * point outside the artifact root it names.
 */
export function validateSource(source: unknown): string {
  if (typeof source !== 'string' || source === '')
    throw invalidArgument('Model version source cannot be empty.');
  let decoded = source;
  for (let round = 0; round < 8; round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded.replace(/\+/g, ' '));
    } catch {
      break;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded.includes('\u0000') || decoded.split(/[/\\]/).includes('..')) {
    throw invalidArgument(
      `Invalid model version source: '${source}'. An absolute path without relative path references ('..') must be provided.`,
    );
  }
  return source;
}
