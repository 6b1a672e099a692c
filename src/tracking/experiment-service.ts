import { alreadyExists, invalidArgument, notFound } from '../errors/index.js';
import type { ExperimentTable } from '../store/db/index.js';
import { isUniqueViolation } from '../store/db/index.js';
import type { TrackingDeps } from './deps.js';
import { LIMITS, validateExperimentId, validateKey, validateMaxResults, validateValue } from './limits.js';
import { offsetToken } from './paging.js';
import { compileExperimentSearch } from './search-sql.js';
import type { Experiment, Page, SearchExperimentsInput, Tag } from './types.js';

type ExperimentRow = Omit<ExperimentTable, 'experiment_id'> & { experiment_id: number };

/** Experiments: create, read, rename, delete/restore, tags, search. */
export function createExperimentService({ database, clock }: TrackingDeps) {
  const { db } = database;

  async function tagsOf(ids: number[]): Promise<Map<number, Tag[]>> {
    const byId = new Map<number, Tag[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows = await db
      .selectFrom('experiment_tags')
      .selectAll()
      .where('experiment_id', 'in', ids)
      .execute();
    for (const row of rows) byId.get(Number(row.experiment_id))?.push({ key: row.key, value: row.value });
    return byId;
  }

  async function toExperiments(rows: ExperimentRow[]): Promise<Experiment[]> {
    const tags = await tagsOf(rows.map((r) => Number(r.experiment_id)));
    return rows.map((row) => ({
      experimentId: String(row.experiment_id),
      name: row.name,
      artifactLocation: row.artifact_location,
      lifecycleStage: row.lifecycle_stage as Experiment['lifecycleStage'],
      creationTime: Number(row.creation_time),
      lastUpdateTime: Number(row.last_update_time),
      tags: tags.get(Number(row.experiment_id)) ?? [],
    }));
  }

  async function row(experimentId: string): Promise<ExperimentRow> {
    const id = Number(validateExperimentId(experimentId));
    const found = await db
      .selectFrom('experiments')
      .selectAll()
      .where('experiment_id', '=', id)
      .executeTakeFirst();
    if (!found) throw notFound(`No Experiment with id=${experimentId} exists`);
    return found;
  }

  async function setStage(experimentId: string, from: string, to: string): Promise<void> {
    const found = await row(experimentId);
    if (found.lifecycle_stage !== from) {
      throw invalidArgument(
        `Cannot change experiment ${experimentId}: its lifecycle stage is '${found.lifecycle_stage}'`,
      );
    }
    const now = clock();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('experiments')
        .set({ lifecycle_stage: to, last_update_time: now })
        .where('experiment_id', '=', found.experiment_id)
        .execute();
      // Deleting an experiment deletes its runs logically; restoring brings back those deleted with it.
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: to, deleted_time: to === 'deleted' ? now : null })
        .where('experiment_id', '=', found.experiment_id)
        .where('lifecycle_stage', '=', from)
        .execute();
    });
  }

  function validateName(name: unknown): string {
    if (typeof name !== 'string' || name.trim() === '')
      throw invalidArgument('experiment name must be a non-empty string');
    if (name.length > LIMITS.experimentNameLength) {
      throw invalidArgument(`experiment name exceeds ${LIMITS.experimentNameLength} characters`);
    }
    return name;
  }

  return {
    /** Creates an experiment; a name already in use (even by a deleted one) is ALREADY_EXISTS. */
    async create(input: {
      name: string;
      artifactLocation?: string | undefined;
      tags?: Tag[] | undefined;
    }): Promise<string> {
      const name = validateName(input.name);
      const tags = (input.tags ?? []).map((t) => ({
        key: validateKey(t.key, 'tag'),
        value: validateValue(t.value, 'tag', LIMITS.experimentTagValueLength),
      }));
      const now = clock();
      try {
        return await db.transaction().execute(async (trx) => {
          const inserted = await trx
            .insertInto('experiments')
            .values({
              name,
              artifact_location: '',
              lifecycle_stage: 'active',
              creation_time: now,
              last_update_time: now,
            })
            .returning('experiment_id')
            .executeTakeFirstOrThrow();
          const id = Number(inserted.experiment_id);
          const location = input.artifactLocation || `mlflow-artifacts:/${id}`;
          await trx
            .updateTable('experiments')
            .set({ artifact_location: location })
            .where('experiment_id', '=', id)
            .execute();
          if (tags.length > 0) {
            await trx
              .insertInto('experiment_tags')
              .values(tags.map((t) => ({ experiment_id: id, key: t.key, value: t.value })))
              .onConflict((oc) =>
                oc.columns(['experiment_id', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }),
              )
              .execute();
          }
          return String(id);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyExists(`Experiment '${name}' already exists.`);
        throw error;
      }
    },

    /** Gets an experiment by id, deleted or not. */
    async get(experimentId: string): Promise<Experiment> {
      return (await toExperiments([await row(experimentId)]))[0]!;
    },

    /** Gets an experiment by name (names are unique across active and deleted experiments). */
    async getByName(name: string): Promise<Experiment> {
      const found = await db
        .selectFrom('experiments')
        .selectAll()
        .where('name', '=', validateName(name))
        .executeTakeFirst();
      if (!found) throw notFound(`Could not find experiment with name '${name}'`);
      return (await toExperiments([found]))[0]!;
    },

    /** Renames an experiment. */
    async rename(experimentId: string, newName: string): Promise<void> {
      const found = await row(experimentId);
      if (found.lifecycle_stage !== 'active') throw invalidArgument('Cannot rename a non-active experiment.');
      try {
        await db
          .updateTable('experiments')
          .set({ name: validateName(newName), last_update_time: clock() })
          .where('experiment_id', '=', found.experiment_id)
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyExists(`Experiment '${newName}' already exists.`);
        throw error;
      }
    },

    delete: (experimentId: string) => setStage(experimentId, 'active', 'deleted'),
    restore: (experimentId: string) => setStage(experimentId, 'deleted', 'active'),

    /** Sets (or overwrites) an experiment tag. */
    async setTag(experimentId: string, key: string, value: string): Promise<void> {
      const found = await row(experimentId);
      const tag = {
        key: validateKey(key, 'tag'),
        value: validateValue(value, 'tag', LIMITS.experimentTagValueLength),
      };
      await db
        .insertInto('experiment_tags')
        .values({ experiment_id: found.experiment_id, ...tag })
        .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value: tag.value }))
        .execute();
    },

    /** Deletes an experiment tag; NOT_FOUND when it is not set. */
    async deleteTag(experimentId: string, key: string): Promise<void> {
      const found = await row(experimentId);
      const result = await db
        .deleteFrom('experiment_tags')
        .where('experiment_id', '=', found.experiment_id)
        .where('key', '=', validateKey(key, 'tag'))
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0)
        throw notFound(`No tag with name: ${key} in experiment ${experimentId}`);
    },

    /** Searches experiments with MLflow's filter grammar and order_by, paged. */
    async search(input: SearchExperimentsInput): Promise<Page<Experiment>> {
      const maxResults = validateMaxResults(
        input.maxResults,
        LIMITS.searchExperimentsDefault,
        LIMITS.searchExperimentsMax,
      );
      const { query, offset } = compileExperimentSearch(database, input);
      const rows = await query
        .limit(maxResults + 1)
        .offset(offset)
        .execute();
      const page = rows.slice(0, maxResults) as ExperimentRow[];
      return {
        items: await toExperiments(page),
        nextPageToken: rows.length > maxResults ? offsetToken(offset + maxResults) : undefined,
      };
    },

    /** The experiment's row id, asserting it exists and is active (for creating runs in it). */
    async requireActive(experimentId: string): Promise<ExperimentRow> {
      const found = await row(experimentId);
      if (found.lifecycle_stage !== 'active') {
        throw invalidArgument(`The experiment ${experimentId} must be in the 'active' state.`);
      }
      return found;
    },
  };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;
