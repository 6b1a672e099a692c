import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { invalidArgument } from '../../errors/index.js';
import { DEFAULT_PARAMS } from '../load.js';
import { writeAtomic } from '../write-atomic.js';

/** A flat view of a params or metrics document: dotted key → scalar (arrays and nulls as JSON). */
export type Flat = Record<string, string | number | boolean>;

/** Flattens nested maps into dotted keys; lists and nulls become their JSON text. */
export function flatten(doc: unknown, prefix = '', into: Flat = {}): Flat {
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const [key, value] of Object.entries(doc)) flatten(value, prefix ? `${prefix}.${key}` : key, into);
    return into;
  }
  if (prefix === '') return into;
  into[prefix] =
    typeof doc === 'string' || typeof doc === 'number' || typeof doc === 'boolean'
      ? doc
      : JSON.stringify(doc);
  return into;
}

/** Only the numbers of a flattened metrics document (metrics are numbers). */
export function numbersOf(flat: Flat): Record<string, number> {
  return Object.fromEntries(
    Object.entries(flat).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
}

/**
 * Writes `overrides` (dotted keys, values parsed as YAML scalars) into the params file under `root`,
 * creating nested maps as needed and keeping the file's comments.
 */
export async function writeOverrides(
  root: string,
  overrides: Record<string, string>,
  file = DEFAULT_PARAMS,
): Promise<void> {
  const path = join(root, file);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw invalidArgument(`${file}: ${doc.errors[0]!.message}`);
  for (const [key, value] of Object.entries(overrides)) {
    const path = key.split('.');
    if (path.some((part) => part === '')) throw invalidArgument(`bad param key '${key}'`);
    doc.setIn(path, parse(value));
  }
  await writeAtomic(path, doc.toString());
}

/** The parameter sets of `-S key=v1,v2 -S other=v3,v4`: the cross product, in the order given. */
export function expandSets(specs: readonly string[]): Record<string, string>[] {
  let sets: Record<string, string>[] = [{}];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw invalidArgument(`-S expects key=value[,value…], got '${spec}'`);
    const key = spec.slice(0, eq);
    const values = spec.slice(eq + 1).split(',');
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [key]: value })));
  }
  return sets;
}

/** `a=1 b=2`: how a set is shown and tagged. */
export function formatSet(set: Record<string, string>): string {
  return Object.entries(set)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
