/**
 * Monitors on deployments: register a spec (its detectors are fitted on the reference once), then
 * evaluate it — read the payload log since the checkpoint, form windows, run the detectors, store
 * the results, set the Prometheus gauges, apply the alert rules and hand alerts to the webhooks —
 * and record delayed labels for per-window performance. Dependencies come in as arguments.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Registry } from 'prom-client';
import { invalidArgument, notFound } from '../../errors/index.js';
import type { PayloadLogStore } from '../../serving/logging/index.js';
import type { Database } from '../../store/db/index.js';
import { applyRules, type RuleStreak } from './alert-rules.js';
import { type DetectorOutcome, fitDetectors, loadDetectors } from './monitor-detectors.js';
import { createMonitorGauges, type MonitorGauges } from './monitor-gauges.js';
import { type MonitorSpec, resolveWindow } from './monitor-spec.js';
import {
  createMonitorStore,
  type FeedbackRecord,
  type MonitorAlert,
  type MonitorRecord,
  type MonitorResult,
  type ResultQuery,
} from './monitor-store.js';
import { parseReferenceCsv } from './reference-data.js';
import type { WebhookNotifier } from './webhook-notifier.js';
import { type LoggedPrediction, windowPerformance } from './window-performance.js';
import {
  EMPTY_SOURCE,
  type FormedWindow,
  readRowWindows,
  readTimeWindows,
  type SourceState,
} from './window-source.js';

export interface MonitoringDeps {
  database: Pick<Database, 'db'>;
  payloads: Pick<PayloadLogStore, 'queryPayloads'>;
  clock?: () => number;
  /** Where the gauges go (the server's `/metrics` registry); none, no gauges. */
  registry?: Registry;
  /** Delivers alerts to the spec's webhooks; none, alerts are only stored. */
  notifier?: WebhookNotifier;
  /** Fetches a `runs:/…` (or other URI) reference; local paths are read from disk. */
  readArtifact?: (uri: string) => Promise<string>;
}

/** The checkpoint of a monitor: where reading stopped, rule streaks, and the label cursor. */
interface Checkpoint {
  source: SourceState;
  streaks: Record<string, RuleStreak>;
  /** Labels recorded at or after this time are (re)scored on the next evaluation. */
  feedbackCursor: number;
  /** Start of the last performance window the alert rules have seen. */
  lastPerformanceWindow: number | null;
  windows: number;
}

const INITIAL: Checkpoint = {
  source: EMPTY_SOURCE,
  streaks: {},
  feedbackCursor: 0,
  lastPerformanceWindow: null,
  windows: 0,
};

/** What one evaluation did. */
export interface EvaluationReport {
  monitor: string;
  windows: { start: number; end: number; rows: number; detected: string[] }[];
  alerts: MonitorAlert[];
  performanceWindows: number;
}

const HOUR = 3_600_000;

/** The monitoring service over a database and a payload log. */
export function createMonitoring(deps: MonitoringDeps) {
  const store = createMonitorStore(deps.database);
  const clock = deps.clock ?? Date.now;
  const gauges: MonitorGauges | undefined = deps.registry && createMonitorGauges(deps.registry);

  async function referenceText(spec: MonitorSpec): Promise<string> {
    const { path, uri } = spec.reference;
    if (uri !== undefined) {
      if (!deps.readArtifact)
        throw invalidArgument(`cannot read reference ${uri}: no artifact reader configured`);
      return deps.readArtifact(uri);
    }
    try {
      return await readFile(path as string, 'utf8');
    } catch {
      throw notFound(`reference file not found: ${path}`);
    }
  }

  /** Creates or updates a monitor; detectors are refitted only when the spec or reference changed. */
  async function applyMonitor(spec: MonitorSpec): Promise<MonitorRecord> {
    const text = await referenceText(spec);
    const digest = createHash('sha256').update(JSON.stringify(spec)).update('\0').update(text).digest('hex');
    const existing = await store.findMonitor(spec.name);
    if (existing?.specDigest === digest) return existing;
    if (existing && existing.deployment !== spec.deployment)
      throw invalidArgument(
        `monitor "${spec.name}" watches deployment "${existing.deployment}"; use a new name`,
      );
    const reference = parseReferenceCsv(text, spec.features, spec.reference.path ?? spec.reference.uri);
    const detectors = fitDetectors(spec, reference);
    // A changed spec keeps its read position (no event counted twice) but starts windows and streaks afresh.
    const old = existing?.checkpoint as Checkpoint | null | undefined;
    const checkpoint: Checkpoint | null = old
      ? {
          ...INITIAL,
          source: { ...EMPTY_SOURCE, position: old.source.position, nextStart: old.source.nextStart },
          feedbackCursor: old.feedbackCursor,
          windows: old.windows,
        }
      : null;
    await store.saveMonitor(
      { name: spec.name, deployment: spec.deployment, spec, specDigest: digest, detectors, checkpoint },
      clock(),
    );
    return store.getMonitor(spec.name);
  }

  /** Evaluates every window completed since the last evaluation, and rescored labelled windows. */
  async function evaluate(name: string, options: { maxWindows?: number } = {}): Promise<EvaluationReport> {
    const monitor = await store.getMonitor(name);
    const { spec } = monitor;
    const previous = (monitor.checkpoint as Checkpoint | null) ?? null;
    const checkpoint: Checkpoint = structuredClone(previous ?? INITIAL);
    const now = clock();
    const window = resolveWindow(spec.window);
    const watermark = now - window.lateness;
    const read =
      window.kind === 'rows'
        ? await readRowWindows(deps.payloads, spec, window, checkpoint.source, watermark)
        : await readTimeWindows(
            deps.payloads,
            spec,
            window,
            checkpoint.source,
            watermark,
            options.maxWindows ?? 10_000,
          );
    checkpoint.source = read.state;
    const results: MonitorResult[] = [];
    const alerts: MonitorAlert[] = [];
    const report: EvaluationReport = { monitor: name, windows: [], alerts: [], performanceWindows: 0 };
    const driftRules = spec.alerts.filter((r) => !r.metric.startsWith('performance.'));
    const runDetectors = loadDetectors(spec, monitor.detectors);
    for (const w of read.windows) {
      const outcomes = runDetectors(w.rows, w.start);
      const windowResults = resultsOf(spec, w, outcomes);
      results.push(...windowResults);
      const metrics = metricMap(windowResults);
      const applied = applyRules(
        name,
        driftRules,
        metrics,
        checkpoint.streaks,
        w,
        now,
        (metric) =>
          windowResults.find((r) => r.metric === metric.replace(/\.(p_value|detected)$/, ''))?.perFeature,
      );
      checkpoint.streaks = { ...checkpoint.streaks, ...applied.streaks };
      alerts.push(...applied.alerts);
      checkpoint.windows++;
      report.windows.push({
        start: w.start,
        end: w.end,
        rows: w.rows.length,
        detected: outcomes.filter((o) => o.detected).map((o) => o.name),
      });
      setGauges(spec, windowResults, outcomes);
    }
    if (spec.performance)
      report.performanceWindows = await scorePerformance(spec, checkpoint, results, alerts, now);
    report.alerts = await store.commit(name, { results, alerts, checkpoint }, previous, now);
    for (const alert of report.alerts) deps.notifier?.notify(spec.webhooks, alert);
    return report;
  }

  async function scorePerformance(
    spec: MonitorSpec,
    checkpoint: Checkpoint,
    results: MonitorResult[],
    alerts: MonitorAlert[],
    now: number,
  ): Promise<number> {
    const perf = spec.performance as NonNullable<MonitorSpec['performance']>;
    const window = resolveWindow(spec.window);
    const size = perf.window ?? (window.kind === 'duration' ? window.size : HOUR);
    const labels = await store.feedbackRecordedSince(spec.deployment, checkpoint.feedbackCursor);
    if (labels.length === 0) return 0;
    const starts = [...new Set(labels.map((l) => Math.floor(l.predictionTime / size) * size))].sort(
      (a, b) => a - b,
    );
    const rules = spec.alerts.filter((r) => r.metric.startsWith('performance.'));
    for (const start of starts) {
      const records = await store.feedbackBetween(spec.deployment, start, start + size);
      const byVersion = windowPerformance(perf, records, { model: spec.model, version: spec.version });
      const overall = byVersion.get('') ?? new Map<string, number>();
      for (const [version, metrics] of byVersion) {
        for (const [metric, value] of metrics) {
          results.push({
            monitor: spec.name,
            metric,
            modelVersion: version,
            windowStart: start,
            windowEnd: start + size,
            rows: records.length,
            value,
            pValue: null,
            detected: null,
            perFeature: null,
          });
          if (version === '') gauges?.set(spec.name, 'other', metric, value, null);
        }
      }
      // Each performance window passes the rules once (when first scored), so late labels do not re-count it.
      if (checkpoint.lastPerformanceWindow !== null && start <= checkpoint.lastPerformanceWindow) continue;
      const applied = applyRules(
        spec.name,
        rules,
        overall,
        checkpoint.streaks,
        { start, end: start + size },
        now,
        () => ({
          labelledRequests: records.length,
        }),
      );
      checkpoint.streaks = { ...checkpoint.streaks, ...applied.streaks };
      alerts.push(...applied.alerts);
      checkpoint.lastPerformanceWindow = start;
    }
    checkpoint.feedbackCursor = Math.max(...labels.map((l) => l.recordedTime));
    return starts.length;
  }

  function setGauges(
    spec: MonitorSpec,
    results: readonly MonitorResult[],
    outcomes: readonly DetectorOutcome[],
  ) {
    if (!gauges) return;
    for (const o of outcomes) {
      const d = spec.detectors.find((x) => x.name === o.name);
      gauges.set(spec.name, d?.type === 'outliers' ? 'outliers' : 'drift', o.name, o.value, o.pValue);
    }
    for (const r of results)
      if (!outcomes.some((o) => o.name === r.metric)) gauges.set(spec.name, 'other', r.metric, r.value, null);
  }

  /**
   * Attaches ground truth to the logged prediction of `requestId` (a value, or one per row of a
   * batched request). Recording again replaces the label. NOT_FOUND when no response was logged.
   */
  async function recordFeedback(requestId: string, groundTruth: unknown): Promise<FeedbackRecord> {
    if (typeof requestId !== 'string' || requestId === '')
      throw invalidArgument('requestId must be a non-empty string');
    checkTruth(groundTruth);
    const page = await deps.payloads.queryPayloads({ requestId, kind: 'response', order: 'asc', limit: 100 });
    const first = page.events[0];
    if (!first) throw notFound(`no logged prediction for request id "${requestId}"`);
    const predictions: LoggedPrediction[] = page.events.map((e) => ({
      model: String(e.modelname ?? ''),
      version: String(e.modelversion ?? ''),
      outputs: e.data ?? null,
    }));
    const record: FeedbackRecord = {
      requestId,
      deployment: String(first.inferenceservicename ?? ''),
      modelVersion: predictions[0]?.version ?? '',
      predictionTime: Date.parse(first.time ?? ''),
      outputs: predictions,
      truth: groundTruth,
      recordedTime: clock(),
    };
    await store.saveFeedback(record);
    return record;
  }

  /** Runs `evaluate` every `schedule.interval`; a tick that comes while one runs is skipped; errors go to `onError`. */
  function schedule(spec: MonitorSpec, onError: (error: unknown) => void): { stop(): Promise<void> } {
    let running: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = evaluate(spec.name)
        .then(() => undefined, onError)
        .finally(() => {
          running = null;
        });
    }, spec.schedule.interval);
    return {
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  }

  return {
    applyMonitor,
    evaluate,
    recordFeedback,
    schedule,
    getMonitor: (name: string) => store.getMonitor(name),
    listMonitors: () => store.listMonitors(),
    listResults: (monitor: string, query?: ResultQuery) => store.listResults(monitor, query),
    listAlerts: (query?: { monitor?: string; limit?: number }) => store.listAlerts(query),
  };
}

export type Monitoring = ReturnType<typeof createMonitoring>;

function checkTruth(value: unknown): void {
  const ok = (v: unknown) =>
    (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean';
  if (ok(value) || (Array.isArray(value) && value.length > 0 && value.every(ok))) return;
  throw invalidArgument(
    'groundTruth must be a finite number, string or boolean, or a non-empty list of them',
  );
}

/** The stored rows of one window: each detector, plus row counts and data quality. */
function resultsOf(
  spec: MonitorSpec,
  w: FormedWindow,
  outcomes: readonly DetectorOutcome[],
): MonitorResult[] {
  const cells = w.rows.length * spec.features.length;
  const missing = w.rows.reduce((s, r) => s + r.filter((v) => v === null || v === undefined).length, 0);
  const invalid = w.rows.filter((r) => r.some((v) => v === null || v === undefined)).length;
  const base = {
    monitor: spec.name,
    modelVersion: '',
    windowStart: w.start,
    windowEnd: w.end,
    rows: w.rows.length,
  };
  const quality = (metric: string, value: number | null, details: unknown = null): MonitorResult => ({
    ...base,
    metric,
    value,
    pValue: null,
    detected: null,
    perFeature: details,
  });
  return [
    ...outcomes.map((o) => ({
      ...base,
      metric: o.name,
      value: o.value,
      pValue: o.pValue,
      detected: o.detected,
      perFeature: o.details,
    })),
    quality('rows', w.rows.length),
    quality('invalid_rows', invalid, { nonFiniteValues: w.nonFinite }),
    quality('missing_rate', cells === 0 ? null : missing / cells),
    quality('rejected_requests', w.rejected.count, { reasons: w.rejected.reasons }),
  ];
}

/** Metric name → value as the alert rules address them. */
function metricMap(results: readonly MonitorResult[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const r of results) {
    out.set(r.metric, r.value);
    out.set(`${r.metric}.p_value`, r.pValue);
    out.set(`${r.metric}.detected`, r.detected === null ? null : r.detected ? 1 : 0);
  }
  return out;
}
