import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { definitionError } from './errors.js';
import { PIPELINE_FILE } from './load.js';
import { lookup } from './template.js';
import type { Stage } from './types.js';
import { createYamlReader, type YamlReader } from './yaml-file.js';

/** Param values a stage read, per file then per key (what the lock records). */
export type ParamValues = Record<string, Record<string, unknown>>;

/** Reads params files once per repro, however many stages name them. */
export type ParamsReader = (stage: Stage) => Promise<ParamValues>;

/** A reader of the params files under `root`; a missing file or key is an error naming the stage. */
export function createParamsReader(root: string, readYaml: YamlReader = createYamlReader()): ParamsReader {
  const files = new Map<string, Promise<unknown>>();
  const read = (file: string) => {
    let loaded = files.get(file);
    if (loaded === undefined) {
      loaded = readYaml(join(root, file), { file });
      files.set(file, loaded);
    }
    return loaded;
  };
  return async (stage) => {
    const values: ParamValues = {};
    for (const { file, keys } of stage.params) {
      const at = { file: PIPELINE_FILE, stage: stage.name };
      if (!existsSync(join(root, file)))
        throw definitionError(at, ['params'], `params file ${file} does not exist`);
      const doc = (await read(file)) ?? {};
      if (typeof doc !== 'object' || Array.isArray(doc))
        throw definitionError(at, ['params'], `${file} must hold a map of params`);
      const picked: Record<string, unknown> = {};
      for (const key of keys.length === 0 ? Object.keys(doc).sort() : keys) {
        const value = lookup(doc, key);
        if (value === undefined) throw definitionError(at, ['params'], `${key} is not in ${file}`);
        picked[key] = value;
      }
      values[file] = picked;
    }
    return values;
  };
}
