import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { invalidArgument } from '../errors/index.js';
import type { Dataset, Metric, Run, RunStatus } from '../tracking/index.js';
import { SYSTEM_TAGS } from '../tracking/index.js';
import { sourceTags } from './git-source.js';
import type { TrackingClient } from './tracking-client.js';

export interface StartRunOptions {
  experimentId?: string;
  /** Created when missing. */
  experimentName?: string;
  runName?: string;
  parentRunId?: string;
  tags?: Record<string, string>;
  params?: Record<string, string | number | boolean>;
  /** Record git commit, branch, dirty flag and entry point (default true). */
  recordSource?: boolean;
  cwd?: string;
  entryPoint?: string;
  /** Metrics are sent in batches at most this often (default 1000 ms) or when 1000 are waiting. */
  flushIntervalMs?: number;
  /** End the run (FINISHED) when the process is about to exit (default true). */
  endOnExit?: boolean;
  clock?: () => number;
}

const MAX_BATCH = 1000;
/**
 * Batches on the wire at once. Two overlap one batch's round trip with the next one's; arrival order
 * does not matter, as the history is kept by step and the latest value by MLflow's (step, timestamp,
 * value) rule.
 */
const MAX_IN_FLIGHT = 2;

/** A run being logged to: metrics are queued and sent asynchronously in batches; everything else is awaited. */
export class ActiveRun {
  private queue: Metric[] = [];
  /** send() calls not finished yet (flush waits for all of them). */
  private readonly sends = new Set<Promise<void>>();
  /** logBatch requests on the wire. */
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly onExit = () => void this.end().catch(() => {});

  constructor(
    readonly client: TrackingClient,
    readonly run: Run,
    private readonly options: { flushIntervalMs: number; endOnExit: boolean; clock: () => number },
  ) {
    if (options.endOnExit) process.once('beforeExit', this.onExit);
  }

  get runId(): string {
    return this.run.info.runId;
  }

  /** Logs params (immutable: a different value for a logged key is an error). */
  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    for (let i = 0; i < list.length; i += 100)
      await this.client.logBatch(this.runId, { params: list.slice(i, i + 100) });
  }

  logParam(key: string, value: string | number | boolean): Promise<void> {
    return this.logParams({ [key]: value });
  }

  /** Queues a metric point; it is sent with the next batch. */
  logMetric(key: string, value: number, options: { step?: number; timestamp?: number } = {}): void {
    if (this.ended) throw invalidArgument(`run ${this.runId} has ended`);
    if (this.failure) throw this.failure;
    this.queue.push({
      key,
      value,
      step: options.step ?? 0,
      timestamp: options.timestamp ?? this.options.clock(),
    });
    if (this.queue.length >= MAX_BATCH) void this.send();
    else this.timer ??= setTimeout(() => void this.send(), this.options.flushIntervalMs).unref();
  }

  /** Queues several metrics at one step. */
  logMetrics(metrics: Record<string, number>, step?: number): void {
    const timestamp = this.options.clock();
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, { step, timestamp });
  }

  setTag(key: string, value: string): Promise<void> {
    return this.client.setTag(this.runId, key, value);
  }

  /** Records a dataset the run consumed, with its role (e.g. "training"). */
  logInput(dataset: Dataset, context?: string): Promise<void> {
    const tags = context ? [{ key: SYSTEM_TAGS.datasetContext, value: context }] : [];
    return this.client.logInputs(this.runId, [{ dataset, tags }]);
  }

  /** Uploads a local file or directory (recursively; symbolic links are skipped) under `artifactPath`. */
  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    const info = await lstat(localPath);
    const target = artifactPath ?? basename(localPath);
    if (info.isSymbolicLink()) return;
    if (info.isFile()) {
      await this.client.uploadArtifact(this.runId, target, { file: localPath });
      return;
    }
    if (!info.isDirectory()) return;
    for (const entry of await readdir(localPath))
      await this.logArtifact(join(localPath, entry), `${target}/${entry}`);
  }

  /** Uploads text as an artifact file. */
  async logText(text: string, artifactPath: string): Promise<void> {
    await this.client.uploadArtifact(this.runId, artifactPath, Buffer.from(text, 'utf8'));
  }

  /** Sends every queued metric; rejects with the first error a background send met. */
  async flush(): Promise<void> {
    await this.send();
    while (this.sends.size > 0) await Promise.all([...this.sends]);
    if (this.failure) throw this.failure;
  }

  /** Flushes and marks the run finished (or failed/killed). Idempotent. */
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    process.removeListener('beforeExit', this.onExit);
    try {
      await this.flush();
    } finally {
      this.ended = true;
      await this.client.updateRun(this.runId, { status, endTime: this.options.clock() });
    }
  }

  private send(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const done: Promise<void> = this.sendBatches(this.queue.splice(0)).finally(() => this.sends.delete(done));
    this.sends.add(done);
    return done;
  }

  /** Sends `metrics` in batches, at most MAX_IN_FLIGHT on the wire; a failure is kept for flush(). */
  private async sendBatches(metrics: Metric[]): Promise<void> {
    for (let i = 0; i < metrics.length; i += MAX_BATCH) {
      while (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
      const request: Promise<void> = this.client
        .logBatch(this.runId, { metrics: metrics.slice(i, i + MAX_BATCH) })
        .then(
          () => undefined,
          (error: unknown) => {
            this.failure ??= error;
          },
        )
        .finally(() => this.inFlight.delete(request));
      this.inFlight.add(request);
    }
    await Promise.all([...this.inFlight]);
  }
}

/** Starts a run: creates the experiment if needed, records the source (git) and params, and returns it active. */
export async function startRun(client: TrackingClient, options: StartRunOptions = {}): Promise<ActiveRun> {
  const experimentId =
    options.experimentId ??
    (options.experimentName ? await ensureExperiment(client, options.experimentName) : '0');
  const source =
    options.recordSource === false
      ? []
      : sourceTags(options.cwd ?? process.cwd(), options.entryPoint ?? process.argv[1]);
  const tags = [...source, ...Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }))];
  const run = await client.createRun({
    experimentId,
    runName: options.runName,
    parentRunId: options.parentRunId,
    tags,
  });
  const active = new ActiveRun(client, run, {
    flushIntervalMs: options.flushIntervalMs ?? 1000,
    endOnExit: options.endOnExit ?? true,
    clock: options.clock ?? Date.now,
  });
  if (options.params) await active.logParams(options.params);
  return active;
}

async function ensureExperiment(client: TrackingClient, name: string): Promise<string> {
  try {
    return (await client.getExperimentByName(name)).experimentId;
  } catch (error) {
    if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
  }
  try {
    return await client.createExperiment({ name });
  } catch (error) {
    // Another process created it between our two calls.
    if ((error as { code?: string }).code === 'ALREADY_EXISTS')
      return (await client.getExperimentByName(name)).experimentId;
    throw error;
  }
}
