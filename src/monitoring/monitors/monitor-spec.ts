/**
 * The monitor spec: which deployment's payload log to watch, against which reference, with which
 * detectors, windows, schedule and alert rules. Written as YAML (or built in code), validated by
 * zod into one fully-defaulted, frozen object.
 *
 * ```yaml
 * name: fraud-watch
 * deployment: fraud
 * reference: { path: reference.csv }         # or { uri: runs:/<run>/data/reference.csv }
 * features: [{ name: amount }, { name: country }]
 * detectors:
 *   - { type: feature-drift, correction: bonferroni, pValue: 0.05 }
 *   - { type: mmd, pValue: 0.05 }
 *   - { type: outliers, method: isolation-forest, contamination: 0.05 }
 * window: { rows: 200 }                     # or { duration: 1h, step: 15m }
 * schedule: { interval: 5m }
 * alerts: [{ metric: feature-drift.detected, comparison: ">=", threshold: 1, for: 2 }]
 * webhooks: [https://hooks.example/osprey]
 * ```
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { invalidArgument } from '../../errors/index.js';
import { TEST_NAMES } from '../drift/index.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds from `250ms`, `30s`, `5m`, `1h`, `1d` or a plain number of milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

const Duration = z
  .union([z.string(), z.number()])
  .transform((v) => parseDuration(v))
  .refine((ms) => Number.isFinite(ms) && ms > 0, 'must be a positive duration such as 30s, 5m, 1h or 1d');

const Name = z.string().regex(/^[A-Za-z0-9][\w.-]{0,127}$/, 'letters, digits, ".", "_" or "-" (max 128)');
const Probability = z.number().gt(0).lt(1);

const Feature = z.strictObject({
  name: Name,
  /** Request tensor holding the feature (default: the request's first input). */
  input: z.string().min(1).optional(),
  /** Column of a [batch, n] tensor; without it the tensor has one value per row. */
  index: z.number().int().min(0).optional(),
  /** Reference CSV column (default: the feature name). */
  column: z.string().min(1).optional(),
  type: z.enum(['numerical', 'categorical']).optional(),
});

const FeatureDrift = z.strictObject({
  type: z.literal('feature-drift'),
  name: Name.default('feature-drift'),
  test: z.enum([...TEST_NAMES, 'auto'] as [string, ...string[]]).default('auto'),
  /** `share` is Evidently's rule (share of drifting features >= driftShare); the others correct p-values. */
  correction: z.enum(['bonferroni', 'fdr', 'share']).default('bonferroni'),
  pValue: Probability.default(0.05),
  driftShare: z.number().gt(0).max(1).default(0.5),
});

const Mmd = z.strictObject({
  type: z.literal('mmd'),
  name: Name.default('mmd'),
  pValue: Probability.default(0.05),
  permutations: z.number().int().min(10).max(10_000).default(100),
  /** Reference rows kept for the kernel (the O(N²) kernel matrix bounds it). */
  maxReference: z.number().int().min(10).max(4000).default(1000),
  /** Numerical features it looks at (default: all). */
  features: z.array(z.string()).min(1).optional(),
});

const Outliers = z.strictObject({
  type: z.literal('outliers'),
  name: Name.default('outliers'),
  method: z.enum(['isolation-forest', 'mahalanobis', 'robust-z']).default('isolation-forest'),
  /** Share of reference rows flagged: sets the score threshold. */
  contamination: Probability.default(0.05),
  /** Outlier rate in a window at or above which the window is flagged. */
  maxRate: z.number().min(0).max(1).default(0.1),
  /** Numerical features it looks at (default: all). */
  features: z.array(z.string()).min(1).optional(),
});

const DetectorSpecSchema = z.discriminatedUnion('type', [FeatureDrift, Mmd, Outliers]);

const Window = z
  .strictObject({
    rows: z.number().int().min(2).optional(),
    duration: Duration.optional(),
    /** Rows or time between window starts; equal to the size (tumbling) by default. */
    step: z.union([z.number(), z.string()]).optional(),
    /** How long after a time window ends its events may still arrive (default 5s). */
    lateness: Duration.default(5000),
  })
  .refine(
    (w) => (w.rows === undefined) !== (w.duration === undefined),
    'give exactly one of rows or duration',
  );

const AlertRule = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  /** `<detector>` (its score), `<detector>.p_value`, `<detector>.detected`, `rows`, `performance.<metric>`. */
  metric: z.string().min(1),
  comparison: z.enum(['>', '>=', '<', '<=', '==', '!=']),
  threshold: z.number().refine(Number.isFinite, 'must be finite'),
  /** Consecutive windows the condition must hold before the alert fires. */
  for: z.number().int().min(1).default(1),
});

const Performance = z.strictObject({
  task: z.enum(['binary', 'multiclass', 'regression']),
  /** Response tensor with the prediction (default: the first output). */
  output: z.string().min(1).optional(),
  /** Binary task: scores at or above it predict class 1. */
  threshold: Probability.default(0.5),
  /** Time windows of prediction time (default: the monitor's duration, else 1h). */
  window: Duration.optional(),
});

const MonitorSchema = z.strictObject({
  name: Name,
  deployment: z.string().min(1),
  model: z.string().min(1).optional(),
  version: z.union([z.string().min(1), z.number().transform(String)]).optional(),
  reference: z
    .strictObject({ path: z.string().min(1).optional(), uri: z.string().min(1).optional() })
    .refine((r) => (r.path === undefined) !== (r.uri === undefined), 'give exactly one of path or uri'),
  features: z.array(Feature).min(1),
  detectors: z.array(DetectorSpecSchema).min(1),
  window: Window,
  schedule: z.strictObject({ interval: Duration }).default({ interval: 60_000 }),
  alerts: z.array(AlertRule).default([]),
  webhooks: z.array(z.url({ protocol: /^https?$/ })).default([]),
  performance: Performance.optional(),
  seed: z.number().int().default(0),
});

export type MonitorSpec = z.output<typeof MonitorSchema>;
export type MonitorSpecInput = z.input<typeof MonitorSchema>;
export type DetectorSpec = z.output<typeof DetectorSpecSchema>;
export type FeatureSpecOfMonitor = z.output<typeof Feature>;
export type AlertRuleSpec = z.output<typeof AlertRule>;
export type PerformanceSpec = z.output<typeof Performance>;

/** The window with its step resolved to the same unit as its size. */
export type ResolvedWindow =
  | { kind: 'rows'; size: number; step: number; lateness: number }
  | { kind: 'duration'; size: number; step: number; lateness: number };

/** The monitor's window: rows or milliseconds, tumbling when step = size, sliding when step < size. */
export function resolveWindow(window: MonitorSpec['window']): ResolvedWindow {
  if (window.rows !== undefined) {
    const step = window.step === undefined ? window.rows : Number(window.step);
    return { kind: 'rows', size: window.rows, step, lateness: window.lateness };
  }
  const size = window.duration as number;
  const step = window.step === undefined ? size : parseDuration(window.step);
  return { kind: 'duration', size, step, lateness: window.lateness };
}

const where = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

/** Validates a monitor spec object and fills its defaults; INVALID_ARGUMENT naming every bad field. */
export function validateMonitorSpec(raw: unknown, source = 'monitor spec'): MonitorSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalidArgument(
      `${source} must be a mapping with name, deployment, reference, features and detectors`,
    );
  const result = MonitorSchema.safeParse(raw);
  if (!result.success) {
    const text = result.error.issues
      .map((i) => (i.path.length > 0 ? `${where(i.path)}: ${i.message}` : i.message))
      .join('; ');
    throw invalidArgument(`invalid ${source}: ${text}`);
  }
  const spec = result.data;
  const problems = ruleProblems(spec);
  if (problems.length > 0) throw invalidArgument(`invalid ${source}: ${problems.join('; ')}`);
  return Object.freeze(spec);
}

/** Parses and validates monitor YAML (or JSON). */
export function parseMonitorSpec(text: string, source = 'monitor spec'): MonitorSpec {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw invalidArgument(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  return validateMonitorSpec(raw, source);
}

function ruleProblems(spec: MonitorSpec): string[] {
  const problems: string[] = [];
  const unique = (what: string, names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) problems.push(`${what} "${n}" is given twice`);
      seen.add(n);
    }
  };
  unique(
    'feature',
    spec.features.map((f) => f.name),
  );
  unique(
    'detector',
    spec.detectors.map((d) => d.name),
  );
  const featureNames = new Set(spec.features.map((f) => f.name));
  for (const d of spec.detectors) {
    if (d.type === 'feature-drift') continue;
    for (const f of d.features ?? [])
      if (!featureNames.has(f)) problems.push(`detector "${d.name}" names unknown feature "${f}"`);
  }
  const window = resolveWindow(spec.window);
  if (!(Number.isInteger(window.step) || window.kind === 'duration') || !(window.step > 0))
    problems.push('window.step must be a positive number of rows (or a duration for time windows)');
  if (window.step > window.size) problems.push('window.step must not exceed the window size');
  const metrics = knownMetrics(spec);
  spec.alerts.forEach((rule, i) => {
    if (!metrics.has(rule.metric))
      problems.push(
        `alerts[${i}].metric: unknown metric "${rule.metric}" (known: ${[...metrics].join(', ')})`,
      );
  });
  return problems;
}

/** Every metric name a monitor produces, as alert rules refer to them. */
export function knownMetrics(spec: MonitorSpec): Set<string> {
  const names = new Set(['rows', 'invalid_rows', 'missing_rate', 'rejected_requests']);
  for (const d of spec.detectors)
    for (const suffix of ['', '.p_value', '.detected']) names.add(d.name + suffix);
  if (spec.performance) {
    const perf =
      spec.performance.task === 'regression'
        ? ['rmse', 'mae']
        : ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss'];
    for (const m of perf) names.add(`performance.${m}`);
  }
  return names;
}
