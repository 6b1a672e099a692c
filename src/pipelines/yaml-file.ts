import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sha256Hex } from '../data/index.js';
import { definitionError, type Location } from './errors.js';
import { writeAtomic } from './write-atomic.js';

/** Reads YAML files, optionally through a cache of parsed documents. */
export type YamlReader = (abs: string, at: Location) => Promise<unknown>;

// True when JSON keeps the value exactly (YAML's .inf/.nan do not survive it).
function jsonSafe(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(jsonSafe);
  if (value !== null && typeof value === 'object') return Object.values(value).every(jsonSafe);
  return true;
}

function parseYaml(text: string, at: Location): unknown {
  try {
    return parse(text);
  } catch (error) {
    throw definitionError(
      at,
      [],
      `is not valid YAML: ${(error as Error).message.split('\n')[0]!.replace(/:$/, '')}`,
    );
  }
}

/**
 * A YAML reader. With `cacheDir`, a parsed document is kept as JSON under the SHA-256 of the file's
 * path and reused while the file's bytes hash the same: parsing YAML costs ~100× hashing it, and a
 * no-op repro of a big pipeline otherwise spends most of its time parsing osprey.yaml and the lock.
 */
export function createYamlReader(cacheDir?: string): YamlReader {
  return async (abs, at) => {
    const text = await readFile(abs, 'utf8');
    if (cacheDir === undefined) return parseYaml(text, at);
    const digest = sha256Hex(Buffer.from(text, 'utf8'));
    const cacheFile = join(cacheDir, `${sha256Hex(Buffer.from(abs, 'utf8'))}.json`);
    const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
    if (cached !== undefined) {
      try {
        const entry = JSON.parse(cached) as { digest?: string; value?: unknown };
        if (entry.digest === digest) return entry.value;
      } catch {
        // A damaged entry is a miss.
      }
    }
    const value = parseYaml(text, at);
    if (jsonSafe(value)) {
      await mkdir(cacheDir, { recursive: true });
      await writeAtomic(cacheFile, JSON.stringify({ digest, value }));
    }
    return value;
  };
}
