/**
 * The data schema: what a file must look like, in YAML a person can review and edit (the role
 * of TFDV's Schema proto and a Great Expectations suite). `inferSchema` drafts one from a
 * profile; `parseSchema` reads one back, rejecting anything malformed with a message naming
 * the field.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { invalidArgument } from '../../errors/index.js';
import { COLUMN_TYPES, type ColumnProfile, type DatasetProfile } from './types.js';

const driftSchema = z
  .object({
    /** L∞ distance between category frequencies above which a categorical column has drifted (TFDV infinity_norm). */
    lInfinity: z.number().min(0).max(1).optional(),
    /** Jensen–Shannon divergence (base 2) between histograms above which a numeric column has drifted. */
    jensenShannon: z.number().min(0).max(1).optional(),
  })
  .strict();

const columnSchema = z
  .object({
    name: z.string().min(1),
    type: z.enum(COLUMN_TYPES),
    /** The column must be present in the file. */
    required: z.boolean().default(true),
    /** Largest share of missing values allowed (TFDV presence.min_fraction = 1 − this). */
    maxMissingFraction: z.number().min(0).max(1).default(0),
    min: z.number().optional(),
    max: z.number().optional(),
    /** The allowed values of a categorical column (TFDV string_domain). */
    categories: z.array(z.string()).optional(),
    /** Share of values that must fall inside `categories` (TFDV min_domain_mass). */
    minDomainMass: z.number().min(0).max(1).default(1),
    drift: driftSchema.optional(),
  })
  .strict();

const dataSchemaSchema = z
  .object({
    version: z.literal(1),
    /** Columns present in the file but not listed here are anomalies unless this is true. */
    allowExtraColumns: z.boolean().default(false),
    columns: z.array(columnSchema),
  })
  .strict();

export type ColumnSchema = z.infer<typeof columnSchema>;
export type DataSchema = z.infer<typeof dataSchemaSchema>;

export interface InferOptions {
  /** String columns with at most this many distinct values get a `categories` list. */
  maxCategories?: number;
  /** Added to an observed missing share, so the next batch is not flagged for noise. */
  missingSlack?: number;
  /**
   * The observed [min, max] widened by this share of its width on each side (a fresh sample's
   * extremes differ from this one's); a bound never crosses zero when the data does not.
   */
  rangeMargin?: number;
  lInfinity?: number;
  jensenShannon?: number;
}

/** Drafts a schema from a profile: observed types, ranges, categories and missing shares. */
export function inferSchema(profile: DatasetProfile, options: InferOptions = {}): DataSchema {
  return {
    version: 1,
    allowExtraColumns: false,
    columns: profile.columns.map((c) => inferColumn(c, options)),
  };
}

function inferColumn(c: ColumnProfile, options: InferOptions): ColumnSchema {
  const slack = options.missingSlack ?? 0.05;
  const column: ColumnSchema = {
    name: c.name,
    type: c.type,
    required: true,
    maxMissingFraction:
      c.missing === 0 ? 0 : Math.min(1, Math.ceil((c.missingFraction + slack) * 1000) / 1000),
    minDomainMass: 1,
  };
  if (c.numeric !== undefined && !looksLikeIdentifier(c, options)) {
    Object.assign(
      column,
      widenedRange(c.numeric.min, c.numeric.max, c.type === 'int', options.rangeMargin ?? 0.1),
    );
    column.drift = { jensenShannon: options.jensenShannon ?? 0.1 };
  }
  // only when the profile lists every value it saw
  const categorical =
    (c.type === 'string' || c.type === 'bool') &&
    c.distinct.exact &&
    c.distinct.value <= Math.min(options.maxCategories ?? 50, c.topValues.length);
  if (categorical) {
    column.categories = c.topValues.map((t) => t.value).sort();
    column.drift = { lInfinity: options.lInfinity ?? 0.1 };
  }
  return column;
}

/**
 * An int column whose every value is distinct (row ids, keys): its range and distribution
 * move with every batch by design, so it gets neither bounds nor a drift threshold.
 */
function looksLikeIdentifier(c: ColumnProfile, options: InferOptions): boolean {
  return c.type === 'int' && c.count > (options.maxCategories ?? 50) && c.distinct.value >= 0.99 * c.count;
}

function widenedRange(min: number, max: number, integer: boolean, margin: number) {
  const pad = (max - min) * margin;
  let low = min - pad;
  let high = max + pad;
  if (min >= 0 && low < 0) low = 0;
  if (max <= 0 && high > 0) high = 0;
  return integer ? { min: Math.floor(low), max: Math.ceil(high) } : { min: low, max: high };
}

/** The schema as YAML text. */
export function formatSchema(schema: DataSchema): string {
  return stringifyYaml(schema, { lineWidth: 0 });
}

/** Reads and checks a YAML schema; `source` names it in error messages. */
export function parseSchema(text: string, source = 'schema'): DataSchema {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw invalidArgument(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  const result = dataSchemaSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw invalidArgument(`${source}: not a valid data schema: ${issues.join('; ')}`);
  }
  const names = new Set<string>();
  for (const column of result.data.columns) {
    if (names.has(column.name)) throw invalidArgument(`${source}: column '${column.name}' is listed twice`);
    names.add(column.name);
    if (column.min !== undefined && column.max !== undefined && column.min > column.max)
      throw invalidArgument(`${source}: column '${column.name}' has min ${column.min} > max ${column.max}`);
  }
  return result.data;
}
