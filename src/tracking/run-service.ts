import { invalidArgument, notFound } from '../errors/index.js';
import type { RunTable } from '../store/db/index.js';
import type { TrackingDeps } from './deps.js';
import type { ExperimentService } from './experiment-service.js';
import { LIMITS, validateKey, validateRunId, validateValue } from './limits.js';
import { createRunReader } from './run-reader.js';
import {
  type CreateRunInput,
  RUN_STATUSES,
  type Run,
  type RunInfo,
  SYSTEM_TAGS,
  type Tag,
  type UpdateRunInput,
} from './types.js';

/** Runs: create, read, update, delete/restore, tags. Logging lives in run-logger.ts. */
export function createRunService(deps: TrackingDeps, experiments: ExperimentService) {
  const { database, clock, newId } = deps;
  const { db } = database;
  const reader = createRunReader(database);

  async function runRow(runId: string): Promise<RunTable> {
    const found = await db
      .selectFrom('runs')
      .selectAll()
      .where('run_id', '=', validateRunId(runId))
      .executeTakeFirst();
    if (!found) throw notFound(`Run '${runId}' not found`);
    return found;
  }

  async function setStage(runId: string, stage: 'active' | 'deleted'): Promise<void> {
    const found = await runRow(runId);
    if (stage === 'active') await experiments.requireActive(String(found.experiment_id));
    await db
      .updateTable('runs')
      .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? clock() : null })
      .where('run_id', '=', found.run_id)
      .execute();
  }

  return {
    /** Creates a run in an experiment (default experiment "0"); a parent run id links it as a child run. */
    async create(input: CreateRunInput): Promise<Run> {
      const experimentId = input.experimentId ?? '0';
      const experiment = await experiments.requireActive(experimentId);
      const tags = new Map<string, string>();
      for (const tag of input.tags ?? []) {
        tags.set(validateKey(tag.key, 'tag'), validateValue(tag.value, 'tag', LIMITS.runTagValueLength));
      }
      if (input.parentRunId) {
        await runRow(input.parentRunId);
        tags.set(SYSTEM_TAGS.parentRunId, input.parentRunId);
      }
      const runName = input.runName || tags.get(SYSTEM_TAGS.runName) || generateRunName(newId());
      tags.set(SYSTEM_TAGS.runName, runName);
      const userId = input.userId ?? tags.get(SYSTEM_TAGS.user) ?? '';
      const runId = newId();
      const startTime = input.startTime ?? clock();
      if (!Number.isSafeInteger(startTime) || startTime < 0)
        throw invalidArgument('start_time must be a non-negative integer');
      const base = experiment.artifact_location.replace(/\/+$/, '');
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('runs')
          .values({
            run_id: runId,
            experiment_id: experiment.experiment_id,
            run_name: runName,
            user_id: userId,
            status: 'RUNNING',
            start_time: startTime,
            end_time: null,
            lifecycle_stage: 'active',
            artifact_uri: `${base}/${runId}/artifacts`,
            deleted_time: null,
          })
          .execute();
        await trx
          .insertInto('tags')
          .values([...tags].map(([key, value]) => ({ run_id: runId, key, value })))
          .execute();
      });
      return reader.get(runId);
    },

    get: (runId: string): Promise<Run> => reader.get(validateRunId(runId)),

    /** Updates status, end time or name. */
    async update(runId: string, input: UpdateRunInput): Promise<RunInfo> {
      const found = await runRow(runId);
      if (input.status !== undefined && !RUN_STATUSES.includes(input.status)) {
        throw invalidArgument(`invalid run status '${String(input.status)}'`);
      }
      if (input.endTime !== undefined && (!Number.isSafeInteger(input.endTime) || input.endTime < 0)) {
        throw invalidArgument('end_time must be a non-negative integer');
      }
      const changes: Partial<RunTable> = {};
      if (input.status !== undefined) changes.status = input.status;
      if (input.endTime !== undefined) changes.end_time = input.endTime;
      if (input.runName)
        changes.run_name = validateValue(input.runName, 'run name', LIMITS.runTagValueLength);
      await db.transaction().execute(async (trx) => {
        if (Object.keys(changes).length > 0) {
          await trx.updateTable('runs').set(changes).where('run_id', '=', found.run_id).execute();
        }
        if (changes.run_name) {
          await trx
            .insertInto('tags')
            .values({ run_id: found.run_id, key: SYSTEM_TAGS.runName, value: changes.run_name })
            .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value: changes.run_name! }))
            .execute();
        }
      });
      return (await reader.get(found.run_id)).info;
    },

    delete: (runId: string) => setStage(runId, 'deleted'),
    restore: (runId: string) => setStage(runId, 'active'),

    /** Sets (overwrites) a run tag; mlflow.runName also renames the run. */
    async setTag(runId: string, key: string, value: string): Promise<void> {
      await requireActiveRun(deps, runId);
      const tag = {
        key: validateKey(key, 'tag'),
        value: validateValue(value, 'tag', LIMITS.runTagValueLength),
      };
      await upsertTags(deps, runId, [tag]);
    },

    /** Deletes a run tag; NOT_FOUND when it is not set. */
    async deleteTag(runId: string, key: string): Promise<void> {
      await requireActiveRun(deps, runId);
      const result = await db
        .deleteFrom('tags')
        .where('run_id', '=', runId)
        .where('key', '=', validateKey(key, 'tag'))
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0)
        throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    },

    /** Child runs of a run (linked through the mlflow.parentRunId tag). */
    async children(runId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('tags')
        .select('run_id')
        .where('key', '=', SYSTEM_TAGS.parentRunId)
        .where('value', '=', validateRunId(runId))
        .execute();
      return rows.map((r) => r.run_id);
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;

/** Loads a run and checks that it accepts writes (MLflow: "must be in 'active' lifecycle_stage"). */
export async function requireActiveRun({ database }: TrackingDeps, runId: string): Promise<RunTable> {
  const found = await database.db
    .selectFrom('runs')
    .selectAll()
    .where('run_id', '=', validateRunId(runId))
    .executeTakeFirst();
  if (!found) throw notFound(`Run '${runId}' not found`);
  if (found.lifecycle_stage !== 'active') {
    throw invalidArgument(
      `The run ${runId} must be in the 'active' state. Current state is ${found.lifecycle_stage}.`,
    );
  }
  return found;
}

/** Writes tags (last write wins); setting mlflow.runName keeps the run_name column in step. */
export async function upsertTags({ database }: TrackingDeps, runId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  await database.db.transaction().execute(async (trx) => {
    for (const tag of [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      await trx
        .insertInto('tags')
        .values({ run_id: runId, key: tag.key, value: tag.value })
        .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value: tag.value }))
        .execute();
      if (tag.key === SYSTEM_TAGS.runName) {
        await trx.updateTable('runs').set({ run_name: tag.value }).where('run_id', '=', runId).execute();
      }
    }
  });
}

const ADJECTIVES = [
  'amber',
  'brisk',
  'calm',
  'dapper',
  'eager',
  'fleet',
  'gentle',
  'hardy',
  'keen',
  'lucid',
  'nimble',
  'quiet',
];
const NOUNS = [
  'osprey',
  'heron',
  'falcon',
  'kestrel',
  'harrier',
  'plover',
  'tern',
  'swift',
  'lark',
  'wren',
  'egret',
  'ibis',
];

/** A readable default run name derived from the run's random id (e.g. "keen-heron-417"). */
function generateRunName(randomHex: string): string {
  const n = Number.parseInt(randomHex.slice(0, 8), 16);
  return `${ADJECTIVES[n % ADJECTIVES.length]}-${NOUNS[(n >>> 8) % NOUNS.length]}-${(n >>> 16) % 1000}`;
}
