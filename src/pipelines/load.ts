import { existsSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import type { z } from 'zod';
import { notFound } from '../errors/index.js';
import { definitionError, type Location } from './errors.js';
import { FILE_SCHEMA, FOREACH_SCHEMA, type RawStage, STAGE_NAME, STAGE_SCHEMA } from './schema.js';
import {
  foreachInstances,
  type Instance,
  interpolate,
  matrixInstances,
  type TemplateContext,
} from './template.js';
import type { Pipeline, Stage, StageOut, StageParams } from './types.js';
import { createYamlReader, type YamlReader } from './yaml-file.js';

/** The definition file's name, at the project root. */
export const PIPELINE_FILE = 'osprey.yaml';
/** The params file stages read by default (relative to their wdir). */
export const DEFAULT_PARAMS = 'params.yaml';

function check<T>(schema: z.ZodType<T>, value: unknown, at: Location, base: readonly PropertyKey[] = []): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw definitionError(at, [...base, ...issue.path], issue.message);
}

/** A path of the definition as a POSIX path relative to the root; refuses escapes and Osprey's own dirs. */
export function projectPath(wdir: string, path: string, at: Location, field: readonly PropertyKey[]): string {
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path))
    throw definitionError(at, field, `${path} is absolute: paths are relative to the stage's wdir`);
  const joined = posix.normalize(posix.join(wdir, path.replace(/\\/g, '/'))).replace(/\/+$/, '');
  if (joined === '..' || joined.startsWith('../'))
    throw definitionError(at, field, `${path} is outside the project`);
  const first = joined.split('/')[0];
  if (joined === '.' || first === '.osprey' || first === '.git')
    throw definitionError(
      at,
      field,
      `${path} must name a file or directory of the project (not . .osprey .git)`,
    );
  return joined;
}

async function loadContext(
  root: string,
  vars: readonly (string | Record<string, unknown>)[],
  read: YamlReader,
) {
  const context: Record<string, unknown> = {};
  const fromFile = async (file: string) => {
    const value = await read(join(root, file), { file });
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(context, value);
  };
  if (existsSync(join(root, DEFAULT_PARAMS))) await fromFile(DEFAULT_PARAMS);
  for (const [i, entry] of vars.entries()) {
    if (typeof entry !== 'string') Object.assign(context, entry);
    else if (!existsSync(join(root, entry)))
      throw definitionError({ file: PIPELINE_FILE }, ['vars', i], `${entry} does not exist`);
    else await fromFile(entry);
  }
  return context;
}

function outsOf(raw: RawStage, wdir: string, at: Location): StageOut[] {
  const outs: StageOut[] = [];
  for (const kind of ['outs', 'metrics', 'plots'] as const) {
    for (const [i, entry] of (raw[kind] ?? []).entries()) {
      const [path, options] = typeof entry === 'string' ? [entry, null] : Object.entries(entry)[0]!;
      outs.push({
        path: projectPath(wdir, path, at, [kind, i]),
        kind: kind === 'outs' ? 'out' : kind === 'metrics' ? 'metric' : 'plot',
        cache: options?.cache ?? true,
      });
    }
  }
  return outs;
}

function paramsOf(raw: RawStage, wdir: string, at: Location): StageParams[] {
  const byFile = new Map<string, Set<string> | 'all'>();
  const add = (file: string, keys: readonly string[] | null) => {
    const known = byFile.get(file);
    if (keys === null || keys.length === 0 || known === 'all') byFile.set(file, 'all');
    else byFile.set(file, new Set([...(known ?? []), ...keys]));
  };
  for (const [i, entry] of (raw.params ?? []).entries()) {
    if (typeof entry === 'string') add(projectPath(wdir, DEFAULT_PARAMS, at, ['params', i]), [entry]);
    else
      for (const [file, keys] of Object.entries(entry))
        add(projectPath(wdir, file, at, ['params', i, file]), keys);
  }
  return [...byFile].map(([file, keys]) => ({ file, keys: keys === 'all' ? [] : [...keys] }));
}

function toStage(raw: RawStage, name: string, group: string | undefined, at: Location): Stage {
  const wdir =
    raw.wdir === undefined ? '.' : posix.normalize(raw.wdir.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (wdir !== '.') projectPath('.', wdir, at, ['wdir']);
  const stage: Stage = {
    name,
    cmd: typeof raw.cmd === 'string' ? [raw.cmd] : raw.cmd,
    wdir,
    deps: [...new Set((raw.deps ?? []).map((d, i) => projectPath(wdir, d, at, ['deps', i])))],
    params: paramsOf(raw, wdir, at),
    outs: outsOf(raw, wdir, at),
    alwaysChanged: raw.always_changed === true,
    frozen: raw.frozen === true,
  };
  if (group !== undefined) stage.group = group;
  if (raw.desc !== undefined) stage.desc = raw.desc;
  return stage;
}

function expand(name: string, body: Record<string, unknown>, context: TemplateContext): Stage[] {
  const at: Location = { file: PIPELINE_FILE, stage: name };
  let instances: Instance[] | undefined;
  let template: Record<string, unknown> = body;
  if ('foreach' in body) {
    const group = check(FOREACH_SCHEMA, body, at);
    instances = foreachInstances(interpolate(group.foreach, context, at, ['foreach']), at);
    template = group.do;
  } else if ('matrix' in body) {
    const { matrix, ...rest } = body;
    instances = matrixInstances(interpolate(matrix, context, at, ['matrix']), at);
    template = rest;
  }
  if (instances === undefined) {
    const raw = check(STAGE_SCHEMA, interpolate(body, context, at), at);
    return [toStage(raw, name, undefined, at)];
  }
  const base = 'foreach' in body ? ['do'] : [];
  return instances.map(({ suffix, item, key }) => {
    const instanceAt: Location = { file: PIPELINE_FILE, stage: `${name}@${suffix}` };
    const raw = check(
      STAGE_SCHEMA,
      interpolate(template, { ...context, item, key }, instanceAt, base),
      instanceAt,
      base,
    );
    return toStage(raw, `${name}@${suffix}`, name, instanceAt);
  });
}

/** Loads `osprey.yaml` at `root`: templating expanded, shapes validated, paths resolved. */
export async function loadPipeline(root: string, read: YamlReader = createYamlReader()): Promise<Pipeline> {
  const file = join(root, PIPELINE_FILE);
  if (!existsSync(file)) throw notFound(`no ${PIPELINE_FILE} in ${root}`);
  const at: Location = { file: PIPELINE_FILE };
  const doc = check(FILE_SCHEMA, (await read(file, at)) ?? {}, at);
  const context = await loadContext(root, doc.vars ?? [], read);
  const stages: Stage[] = [];
  const names = new Set<string>();
  for (const [name, body] of Object.entries(doc.stages)) {
    if (!STAGE_NAME.test(name))
      throw definitionError(
        { file: PIPELINE_FILE, stage: name },
        [],
        'stage names use letters, digits, _ . - (no @, :, /)',
      );
    for (const stage of expand(name, body, context)) {
      if (names.has(stage.name))
        throw definitionError(
          { file: PIPELINE_FILE, stage: stage.name },
          [],
          'is defined twice (after templating)',
        );
      names.add(stage.name);
      stages.push(stage);
    }
  }
  return { root, file, stages };
}
