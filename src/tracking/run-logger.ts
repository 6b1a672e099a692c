import type { Transaction } from 'kysely';
import { conflict, invalidArgument } from '../errors/index.js';
import type { Schema } from '../store/db/index.js';
import type { TrackingDeps } from './deps.js';
import { LIMITS, validateKey, validateRunId, validateValue } from './limits.js';
import { createMetricWriter, type MetricColumns, metricColumns } from './metric-writer.js';
import { requireActiveRun, upsertTags } from './run-service.js';
import { type DatasetInput, type LogBatchInput, type Metric, SYSTEM_TAGS, type Tag } from './types.js';

/** Logging into a run: params (immutable), metrics (append-only history + latest value), tags, dataset inputs. */
export function createRunLogger(deps: TrackingDeps) {
  const { database, newId } = deps;
  const { db, profile } = database;
  const metrics = createMetricWriter(db, profile);

  async function writeParams(trx: Transaction<Schema>, runId: string, params: Tag[]): Promise<void> {
    if (params.length === 0) return;
    await trx
      .insertInto('params')
      .values(params.map((p) => ({ run_id: runId, key: p.key, value: p.value })).sort(byKey))
      .onConflict((oc) => oc.columns(['run_id', 'key']).doNothing())
      .execute();
    // Read back inside the transaction: a key logged before (or by a concurrent writer) must hold the same value.
    const stored = await trx
      .selectFrom('params')
      .select(['key', 'value'])
      .where('run_id', '=', runId)
      .where(
        'key',
        'in',
        params.map((p) => p.key),
      )
      .execute();
    const storedValue = new Map(stored.map((row) => [row.key, row.value]));
    for (const param of params) {
      const old = storedValue.get(param.key);
      if (old !== param.value) {
        throw invalidArgument(
          `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${param.value}'.`,
        );
      }
    }
  }

  return {
    /** Logs one metric point. */
    async logMetric(runId: string, metric: Metric): Promise<void> {
      await this.logBatch(runId, { metrics: [metric] });
    },

    /** Logs one param; the same value again is a no-op, a different value is INVALID_ARGUMENT. */
    async logParam(runId: string, key: string, value: string): Promise<void> {
      await this.logBatch(runId, { params: [{ key, value }] });
    },

    /** Logs metrics, params and tags in one transaction: all or nothing. */
    async logBatch(runId: string, input: LogBatchInput): Promise<void> {
      const batch = validateBatch(input);
      validateRunId(runId);
      const points = batch.metrics.count;
      // With metrics, the run-state check rides on the history insert (one statement fewer per batch).
      if (points === 0) await requireActiveRun(deps, runId);
      await db.transaction().execute(async (trx) => {
        if (points > 0 && !(await metrics.append(trx, runId, batch.metrics))) {
          // Throws NOT_FOUND or INVALID_ARGUMENT with MLflow's message; the transaction rolls back.
          await requireActiveRun({ ...deps, database: { ...database, db: trx } }, runId);
          throw conflict(`run ${runId} changed state while a batch was logged to it; retry`);
        }
        await writeParams(trx, runId, batch.params);
        if (points > 0) await metrics.summarize(trx, runId, batch.metrics);
      });
      await upsertTags(deps, runId, batch.tags);
    },

    /** Records the datasets a run consumed (lineage); datasets are shared within an experiment by (name, digest). */
    async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
      const run = await requireActiveRun(deps, runId);
      for (const input of inputs) validateDatasetInput(input);
      await db.transaction().execute(async (trx) => {
        for (const { dataset, tags } of inputs) {
          await trx
            .insertInto('datasets')
            .values({
              dataset_id: newId(),
              experiment_id: run.experiment_id,
              name: dataset.name,
              digest: dataset.digest,
              source_type: dataset.sourceType,
              source: dataset.source,
              schema: dataset.schema ?? null,
              profile: dataset.profile ?? null,
            })
            .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
            .execute();
          const { dataset_id } = await trx
            .selectFrom('datasets')
            .select('dataset_id')
            .where('experiment_id', '=', run.experiment_id)
            .where('name', '=', dataset.name)
            .where('digest', '=', dataset.digest)
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('run_inputs')
            .values({ run_id: runId, dataset_id, context: contextOf(tags), tags: JSON.stringify(tags ?? []) })
            .onConflict((oc) =>
              oc
                .columns(['run_id', 'dataset_id'])
                .doUpdateSet({ context: contextOf(tags), tags: JSON.stringify(tags ?? []) }),
            )
            .execute();
        }
      });
    },
  };
}

export type RunLogger = ReturnType<typeof createRunLogger>;

/** Rows in key order, so concurrent writers take row locks in one order. */
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function contextOf(tags: Tag[] | undefined): string | null {
  return tags?.find((t) => t.key === SYSTEM_TAGS.datasetContext)?.value ?? null;
}

/** Validates a whole batch before anything is written, with MLflow's limits and messages. */
function validateBatch(input: LogBatchInput): { metrics: MetricColumns; params: Tag[]; tags: Tag[] } {
  const metrics = input.metrics ?? [];
  const params = input.params ?? [];
  const tags = input.tags ?? [];
  if (metrics.length > LIMITS.batchMetrics)
    throw invalidArgument(
      `A batch logging request can contain at most ${LIMITS.batchMetrics} metrics. Got ${metrics.length} metrics.`,
    );
  if (params.length > LIMITS.batchParams)
    throw invalidArgument(
      `A batch logging request can contain at most ${LIMITS.batchParams} params. Got ${params.length} params.`,
    );
  if (tags.length > LIMITS.batchTags)
    throw invalidArgument(
      `A batch logging request can contain at most ${LIMITS.batchTags} tags. Got ${tags.length} tags.`,
    );
  const total = metrics.length + params.length + tags.length;
  if (total > LIMITS.batchEntities)
    throw invalidArgument(
      `A batch logging request can contain at most ${LIMITS.batchEntities} entities in total. Got ${total}.`,
    );
  const points = metricColumns(metrics);
  const seen = new Map<string, string>();
  for (const p of params) {
    validateKey(p?.key, 'param');
    validateValue(p.value, 'param', LIMITS.paramValueLength);
    const previous = seen.get(p.key);
    if (previous !== undefined && previous !== p.value) {
      throw invalidArgument(
        `Duplicate parameter keys have been submitted: ['${p.key}']. Please ensure the request contains only one param value per param key.`,
      );
    }
    seen.set(p.key, p.value);
  }
  for (const t of tags) {
    validateKey(t?.key, 'tag');
    validateValue(t.value, 'tag', LIMITS.runTagValueLength);
  }
  const uniqueParams = [...seen].map(([key, value]) => ({ key, value }));
  return { metrics: points, params: uniqueParams, tags };
}

function validateDatasetInput(input: DatasetInput): void {
  const d = input?.dataset;
  if (!d || typeof d !== 'object') throw invalidArgument('dataset input must have a dataset');
  for (const field of ['name', 'digest', 'sourceType', 'source'] as const) {
    if (typeof d[field] !== 'string' || d[field] === '')
      throw invalidArgument(`dataset ${field} must be a non-empty string`);
  }
  for (const tag of input.tags ?? []) {
    validateKey(tag.key, 'dataset input tag');
    validateValue(tag.value, 'dataset input tag', LIMITS.runTagValueLength);
  }
}
