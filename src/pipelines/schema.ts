import { z } from 'zod';

// The shapes of osprey.yaml, checked after templating so `${…}` may stand anywhere.

const path = z.string().trim().min(1, 'must be a non-empty path');

const outOptions = z.strictObject({
  cache: z.boolean().optional(),
  desc: z.string().optional(),
});
const plotOptions = outOptions.extend({
  x: z.string().optional(),
  y: z.union([z.string(), z.array(z.string())]).optional(),
  template: z.string().optional(),
  title: z.string().optional(),
});

/** `path` or `{path: {cache: false}}` (one key). */
const outEntry = (options: typeof outOptions | typeof plotOptions) =>
  z.union([
    path,
    z
      .record(path, options.nullable())
      .refine((r) => Object.keys(r).length === 1, 'must be a path or a map with exactly one path'),
  ]);

/** `train.lr` from params.yaml, or `{other.yaml: [keys]}` (null or [] = every key). */
const paramsEntry = z.union([
  z.string().trim().min(1, 'must be a non-empty key'),
  z.record(path, z.array(z.string().trim().min(1)).nullable()),
]);

export const STAGE_SCHEMA = z.strictObject({
  cmd: z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)], {
    error: 'must be a command or a list of commands',
  }),
  wdir: path.optional(),
  deps: z.array(path).optional(),
  params: z.array(paramsEntry).optional(),
  outs: z.array(outEntry(outOptions)).optional(),
  metrics: z.array(outEntry(outOptions)).optional(),
  plots: z.array(outEntry(plotOptions)).optional(),
  always_changed: z.boolean().optional(),
  frozen: z.boolean().optional(),
  desc: z.string().optional(),
});
export type RawStage = z.infer<typeof STAGE_SCHEMA>;

/** Top level: `vars` (files or maps) and `stages`. */
export const FILE_SCHEMA = z.strictObject({
  vars: z.array(z.union([path, z.record(z.string(), z.unknown())])).optional(),
  stages: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/** Stage names: `@` separates a group from its instances; `:` and `/` would be ambiguous as targets. */
export const STAGE_NAME = /^[A-Za-z0-9_][\w.-]*$/;

export const FOREACH_SCHEMA = z.strictObject({
  foreach: z.unknown(),
  do: z.record(z.string(), z.unknown()),
  desc: z.string().optional(),
});
