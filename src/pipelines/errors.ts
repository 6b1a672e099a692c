import { invalidArgument, type OspreyError } from '../errors/index.js';

/** Where in a definition file a value sits, for error messages. */
export interface Location {
  /** The file as the user knows it (relative to the project root). */
  file: string;
  stage?: string;
}

/** `field` as people read it: `outs[1].cache` from ['outs', 1, 'cache']. */
export function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const part of path) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name === '' ? String(part) : `.${String(part)}`;
  }
  return name;
}

/** INVALID_ARGUMENT naming the file, the stage and the field: `osprey.yaml: stage 'train', outs[1]: …`. */
export function definitionError(at: Location, path: readonly PropertyKey[], message: string): OspreyError {
  const parts = [at.stage === undefined ? undefined : `stage '${at.stage}'`, fieldName(path) || undefined];
  const where = parts.filter((p) => p !== undefined).join(', ');
  return invalidArgument(`${at.file}: ${where === '' ? '' : `${where}: `}${message}`);
}
