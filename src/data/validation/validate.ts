/**
 * Checks a profile against a schema (and optionally a reference profile for drift) and lists
 * the anomalies, named as TFDV names them (`tensorflow_metadata` AnomalyInfo.Type) so people
 * who know TFDV recognise them.
 */
import { typeConforms } from './cell-kind.js';
import type { ColumnSchema, DataSchema } from './data-schema.js';
import { jensenShannonDivergence, lInfinityDistance } from './drift.js';
import type { ColumnProfile, ColumnType, DatasetProfile } from './types.js';

export const ANOMALY_KINDS = {
  'missing-column': 'SCHEMA_MISSING_COLUMN',
  'extra-column': 'SCHEMA_NEW_COLUMN',
  'type-mismatch': 'UNEXPECTED_DATA_TYPE',
  'below-min': 'FLOAT_TYPE_SMALL_FLOAT',
  'above-max': 'FLOAT_TYPE_BIG_FLOAT',
  'unexpected-category': 'ENUM_TYPE_UNEXPECTED_STRING_VALUES',
  'missing-rate': 'FEATURE_TYPE_LOW_FRACTION_PRESENT',
  'categorical-drift': 'COMPARATOR_L_INFTY_HIGH',
  'numeric-drift': 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH',
} as const;

export type AnomalyKind = keyof typeof ANOMALY_KINDS;

export interface Anomaly {
  column: string;
  kind: AnomalyKind;
  /** TFDV's name for it (for integers the INT_TYPE_* variants). */
  tfdvType: string;
  description: string;
  /** The measured value and the bound it broke, when there is one. */
  value?: number;
  bound?: number;
}

/** Every anomaly of `profile` under `schema`; drift only for columns with thresholds and a reference. */
export function validateProfile(
  profile: DatasetProfile,
  schema: DataSchema,
  reference?: DatasetProfile,
): Anomaly[] {
  const columns = new Map(profile.columns.map((c) => [c.name, c]));
  const anomalies: Anomaly[] = [];
  for (const spec of schema.columns) {
    const column = columns.get(spec.name);
    if (column === undefined) {
      if (spec.required)
        anomalies.push(
          anomaly(spec.name, 'missing-column', `column '${spec.name}' is missing from the file`),
        );
      continue;
    }
    anomalies.push(...columnAnomalies(spec, column));
    const control = reference?.columns.find((c) => c.name === spec.name);
    if (control !== undefined) anomalies.push(...driftAnomalies(spec, control, column));
  }
  if (!schema.allowExtraColumns) {
    const known = new Set(schema.columns.map((c) => c.name));
    for (const c of profile.columns)
      if (!known.has(c.name))
        anomalies.push(anomaly(c.name, 'extra-column', `column '${c.name}' is not in the schema`));
  }
  return anomalies;
}

function columnAnomalies(spec: ColumnSchema, column: ColumnProfile): Anomaly[] {
  const found: Anomaly[] = [];
  if (column.missingFraction > spec.maxMissingFraction)
    found.push({
      ...anomaly(
        spec.name,
        'missing-rate',
        `${percent(column.missingFraction)} of values are missing; at most ${percent(spec.maxMissingFraction)} allowed`,
      ),
      value: column.missingFraction,
      bound: spec.maxMissingFraction,
    });
  // an all-missing column has no type to contradict the schema (the missing rate speaks for it)
  if (column.count > 0 && !typeConforms(spec.type, column.type)) {
    const wrong = nonConforming(spec.type, column.typeCounts);
    found.push(
      anomaly(
        spec.name,
        'type-mismatch',
        `expected ${spec.type}, found ${column.type}: ${wrong} of ${column.count} values are not ${spec.type}`,
      ),
    );
    return found;
  }
  found.push(...rangeAnomalies(spec, column), ...categoryAnomalies(spec, column));
  return found;
}

function rangeAnomalies(spec: ColumnSchema, column: ColumnProfile): Anomaly[] {
  const stats = column.numeric;
  if (stats === undefined) return [];
  const found: Anomaly[] = [];
  const integer = spec.type === 'int';
  if (spec.min !== undefined && stats.min < spec.min)
    found.push({
      ...anomaly(spec.name, 'below-min', `minimum ${stats.min} is below the domain minimum ${spec.min}`),
      tfdvType: integer ? 'INT_TYPE_SMALL_INT' : ANOMALY_KINDS['below-min'],
      value: stats.min,
      bound: spec.min,
    });
  if (spec.max !== undefined && stats.max > spec.max)
    found.push({
      ...anomaly(spec.name, 'above-max', `maximum ${stats.max} is above the domain maximum ${spec.max}`),
      tfdvType: integer ? 'INT_TYPE_BIG_INT' : ANOMALY_KINDS['above-max'],
      value: stats.max,
      bound: spec.max,
    });
  return found;
}

/**
 * Values outside `categories`. The in-domain share is exact when the profile lists every
 * value; otherwise allowed values missing from the top list count as out of domain.
 */
function categoryAnomalies(spec: ColumnSchema, column: ColumnProfile): Anomaly[] {
  if (spec.categories === undefined || column.count === 0) return [];
  const allowed = new Set(spec.categories);
  const inDomain = column.topValues.filter((t) => allowed.has(t.value)).reduce((s, t) => s + t.count, 0);
  const outside = 1 - inDomain / column.count;
  if (outside <= 1 - spec.minDomainMass) return [];
  const examples = column.topValues
    .filter((t) => !allowed.has(t.value))
    .slice(0, 5)
    .map((t) => `'${t.value}' (${t.count})`);
  return [
    {
      ...anomaly(
        spec.name,
        'unexpected-category',
        `${percent(outside)} of values are outside the categories${examples.length > 0 ? `: ${examples.join(', ')}` : ''}`,
      ),
      value: outside,
      bound: 1 - spec.minDomainMass,
    },
  ];
}

function driftAnomalies(spec: ColumnSchema, control: ColumnProfile, column: ColumnProfile): Anomaly[] {
  const found: Anomaly[] = [];
  const lInf = spec.drift?.lInfinity;
  if (lInf !== undefined) {
    const { distance, value } = lInfinityDistance(control, column);
    if (distance > lInf)
      found.push({
        ...anomaly(
          spec.name,
          'categorical-drift',
          `L-infinity distance ${round(distance)} to the reference is above ${lInf}; the value with the largest change is '${value}'`,
        ),
        value: distance,
        bound: lInf,
      });
  }
  const js = spec.drift?.jensenShannon;
  if (js !== undefined && control.histogram !== undefined && column.histogram !== undefined) {
    const divergence = jensenShannonDivergence(control.histogram, column.histogram);
    if (divergence !== undefined && divergence > js)
      found.push({
        ...anomaly(
          spec.name,
          'numeric-drift',
          `Jensen-Shannon divergence ${round(divergence)} to the reference is above ${js}`,
        ),
        value: divergence,
        bound: js,
      });
  }
  return found;
}

function nonConforming(expected: ColumnType, counts: Readonly<Record<ColumnType, number>>): number {
  return (Object.keys(counts) as ColumnType[])
    .filter((k) => !typeConforms(expected, k))
    .reduce((s, k) => s + counts[k], 0);
}

function anomaly(column: string, kind: AnomalyKind, description: string): Anomaly {
  return { column, kind, tfdvType: ANOMALY_KINDS[kind], description };
}

const percent = (x: number) => `${Number((x * 100).toPrecision(3))}%`;
const round = (x: number) => Number(x.toPrecision(4));
