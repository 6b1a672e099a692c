import { definitionError, type Location } from './errors.js';

/** Values `${…}` can name: vars, params.yaml, and `item`/`key` inside foreach and matrix. */
export type TemplateContext = Readonly<Record<string, unknown>>;

// `\${x}` stays literal; the expression is a dotted path (`item.field`, `list[0]`).
const PLACEHOLDER = /(\\?)\$\{([^}]*)\}/g;
const WHOLE = /^\$\{([^}]*)\}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a dotted path (`a.b`, `a[0]`, `a.0`), or undefined when any step is missing. */
export function lookup(root: unknown, dotted: string): unknown {
  let value = root;
  for (const part of dotted.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isRecord(value) && Object.hasOwn(value, part)) value = value[part];
    else return undefined;
  }
  return value;
}

function resolveExpr(expr: string, context: TemplateContext, at: Location, path: readonly PropertyKey[]) {
  const name = expr.trim();
  if (!/^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*$/.test(name))
    throw definitionError(at, path, `\${${expr}} is not a variable reference (use names like item.field)`);
  const value = lookup(context, name);
  if (value === undefined) {
    const known = Object.keys(context).sort().join(', ') || 'none';
    throw definitionError(at, path, `unknown variable \${${name}} (defined at the top: ${known})`);
  }
  return value;
}

/**
 * Substitutes `${…}` in a string. A string that is one placeholder keeps the value's type (so
 * `foreach: ${models}` takes a list); inside text only scalars are allowed.
 */
export function interpolateString(
  text: string,
  context: TemplateContext,
  at: Location,
  path: readonly PropertyKey[],
): unknown {
  const whole = WHOLE.exec(text);
  if (whole) return resolveExpr(whole[1]!, context, at, path);
  return text.replace(PLACEHOLDER, (match, escaped: string, expr: string) => {
    if (escaped) return match.slice(1);
    const value = resolveExpr(expr, context, at, path);
    if (isRecord(value) || Array.isArray(value))
      throw definitionError(
        at,
        path,
        `\${${expr.trim()}} is a ${isRecord(value) ? 'map' : 'list'}, not a value`,
      );
    return String(value);
  });
}

/** Substitutes `${…}` in every string of a YAML value, keys of maps included. */
export function interpolate(
  value: unknown,
  context: TemplateContext,
  at: Location,
  path: readonly PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') return interpolateString(value, context, at, path);
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, context, at, [...path, i]));
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = String(interpolateString(key, context, at, [...path, key]));
    result[name] = interpolate(v, context, at, [...path, name]);
  }
  return result;
}

/** One instance of a templated stage: its name suffix and the `item`/`key` it sees. */
export interface Instance {
  suffix: string;
  item: unknown;
  key: string;
}

const isScalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** foreach over a list (`stage@value`, or `stage@0` for maps) or a map (`stage@key`). */
export function foreachInstances(over: unknown, at: Location): Instance[] {
  if (Array.isArray(over)) {
    if (over.length === 0) throw definitionError(at, ['foreach'], 'is an empty list');
    return over.map((item, i) => {
      const suffix = isScalar(item) ? String(item) : String(i);
      return { suffix, item, key: suffix };
    });
  }
  if (isRecord(over)) {
    const entries = Object.entries(over);
    if (entries.length === 0) throw definitionError(at, ['foreach'], 'is an empty map');
    return entries.map(([key, item]) => ({ suffix: key, item, key }));
  }
  throw definitionError(at, ['foreach'], 'must be a list, a map, or a variable naming one');
}

/** The cartesian product of a matrix: `item.<dim>` per dimension, named `v1-v2` (maps/lists: `<dim><index>`). */
export function matrixInstances(matrix: unknown, at: Location): Instance[] {
  if (!isRecord(matrix) || Object.keys(matrix).length === 0)
    throw definitionError(at, ['matrix'], 'must be a map of dimension → list of values');
  let combos: { item: Record<string, unknown>; names: string[] }[] = [{ item: {}, names: [] }];
  for (const [dim, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || values.length === 0)
      throw definitionError(at, ['matrix', dim], 'must be a non-empty list');
    combos = combos.flatMap((c) =>
      values.map((v, i) => ({
        item: { ...c.item, [dim]: v },
        names: [...c.names, isScalar(v) ? String(v) : `${dim}${i}`],
      })),
    );
  }
  return combos.map(({ item, names }) => ({ suffix: names.join('-'), item, key: names.join('-') }));
}
