import { invalidArgument, notFound } from '../errors/index.js';
import {
  offsetToken,
  type Page,
  pageOffset,
  validateKey,
  validateMaxResults,
  validateValue,
} from '../tracking/index.js';
import type { RegistryDeps } from './registry-deps.js';
import { createRegistryReader } from './registry-reader.js';
import {
  canonicalStage,
  REGISTRY_LIMITS,
  validateModelName,
  validateSource,
  validateVersion,
} from './registry-rules.js';
import { compileVersionSearch } from './registry-search.js';
import {
  type CreateModelVersionInput,
  type ModelVersion,
  type RegistrySearchInput,
  STAGES,
  type Stage,
} from './types.js';

/** Model versions: numbered per model, with source, run, stage, tags; search and stage transitions. */
export function createModelVersions({ database, clock, tracking }: RegistryDeps) {
  const { db } = database;
  const reader = createRegistryReader(database);

  async function row(name: string, version: string | number) {
    const number = validateVersion(version);
    const found = await db
      .selectFrom('model_versions')
      .selectAll()
      .where('name', '=', validateModelName(name))
      .where('version', '=', number)
      .executeTakeFirst();
    if (!found) throw notFound(`Model Version (name=${name}, version=${number}) not found`);
    return found;
  }

  const touch = (name: string, version: number, now = clock()) =>
    db.transaction().execute(async (trx) => {
      await trx
        .updateTable('model_versions')
        .set({ last_updated_time: now })
        .where('name', '=', name)
        .where('version', '=', version)
        .execute();
      await trx
        .updateTable('registered_models')
        .set({ last_updated_time: now })
        .where('name', '=', name)
        .execute();
    });

  return {
    /** Registers a new version (the next integer) of an existing model. */
    async create(input: CreateModelVersionInput): Promise<ModelVersion> {
      const name = validateModelName(input.name);
      validateSource(input.source);
      const model = await db
        .selectFrom('registered_models')
        .select('name')
        .where('name', '=', name)
        .executeTakeFirst();
      if (!model) throw notFound(`Registered Model with name=${name} not found`);
      if (input.runId) await tracking.runs.get(input.runId);
      const tags = (input.tags ?? []).map((t) => ({
        key: validateKey(t.key, 'tag'),
        value: validateValue(t.value, 'tag', REGISTRY_LIMITS.tagValueLength),
      }));
      const now = clock();
      const version = await db.transaction().execute(async (trx) => {
        // The UPDATE takes the model's row lock: concurrent registrations queue here and each gets its own number.
        const { last_version: next } = await trx
          .updateTable('registered_models')
          .set((eb) => ({ last_version: eb('last_version', '+', 1), last_updated_time: now }))
          .where('name', '=', name)
          .returning('last_version')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('model_versions')
          .values({
            name,
            version: next,
            description: input.description ?? null,
            user_id: input.userId ?? null,
            current_stage: 'None',
            source: input.source,
            run_id: input.runId ?? null,
            run_link: input.runLink ?? null,
            status: 'READY',
            status_message: null,
            creation_time: now,
            last_updated_time: now,
          })
          .execute();
        if (tags.length > 0)
          await trx
            .insertInto('model_version_tags')
            .values(tags.map((t) => ({ name, version: next, ...t })))
            .execute();
        return next;
      });
      return this.get(name, version);
    },

    async get(name: string, version: string | number): Promise<ModelVersion> {
      return (await reader.versions([await row(name, version)]))[0]!;
    },

    async updateDescription(
      name: string,
      version: string | number,
      description: string,
    ): Promise<ModelVersion> {
      const found = await row(name, version);
      validateValue(description, 'description', REGISTRY_LIMITS.descriptionLength);
      await db
        .updateTable('model_versions')
        .set({ description, last_updated_time: clock() })
        .where('name', '=', found.name)
        .where('version', '=', found.version)
        .execute();
      return this.get(name, version);
    },

    /** Deletes a version, its tags and any alias pointing at it. */
    async delete(name: string, version: string | number): Promise<void> {
      const found = await row(name, version);
      await db.transaction().execute(async (trx) => {
        for (const table of ['model_version_tags', 'registered_model_aliases', 'model_versions'] as const) {
          await trx
            .deleteFrom(table)
            .where('name', '=', found.name)
            .where('version', '=', found.version)
            .execute();
        }
      });
    },

    /**
     * Moves a version to a stage. With archiveExisting, the other versions in Staging or Production move to
     * Archived (MLflow's archive_existing_versions).
     */
    async transitionStage(
      name: string,
      version: string | number,
      stage: string,
      archiveExisting: boolean,
    ): Promise<ModelVersion> {
      const found = await row(name, version);
      const target: Stage = canonicalStage(stage);
      if (archiveExisting && target !== 'Staging' && target !== 'Production') {
        throw invalidArgument(
          `Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging, Production`,
        );
      }
      const now = clock();
      await db.transaction().execute(async (trx) => {
        if (archiveExisting) {
          await trx
            .updateTable('model_versions')
            .set({ current_stage: 'Archived', last_updated_time: now })
            .where('name', '=', found.name)
            .where('current_stage', '=', target)
            .where('version', '!=', found.version)
            .execute();
        }
        await trx
          .updateTable('model_versions')
          .set({ current_stage: target, last_updated_time: now })
          .where('name', '=', found.name)
          .where('version', '=', found.version)
          .execute();
      });
      return this.get(name, version);
    },

    /** The newest version in each of the given stages (all stages when none are given). */
    async latest(name: string, stages: string[] = []): Promise<ModelVersion[]> {
      const model = validateModelName(name);
      const exists = await db
        .selectFrom('registered_models')
        .select('name')
        .where('name', '=', model)
        .executeTakeFirst();
      if (!exists) throw notFound(`Registered Model with name=${name} not found`);
      const wanted = new Set<string>(stages.length > 0 ? stages.map(canonicalStage) : STAGES);
      const latest = (await reader.latestPerStage([model])).get(model) ?? [];
      return latest.filter((v) => wanted.has(v.currentStage));
    },

    async setTag(name: string, version: string | number, key: string, value: string): Promise<void> {
      const found = await row(name, version);
      const tag = {
        key: validateKey(key, 'tag'),
        value: validateValue(value, 'tag', REGISTRY_LIMITS.tagValueLength),
      };
      await db
        .insertInto('model_version_tags')
        .values({ name: found.name, version: found.version, ...tag })
        .onConflict((oc) => oc.columns(['name', 'version', 'key']).doUpdateSet({ value: tag.value }))
        .execute();
      await touch(found.name, found.version);
    },

    async deleteTag(name: string, version: string | number, key: string): Promise<void> {
      const found = await row(name, version);
      // Deleting an absent tag is a no-op, as in MLflow's registry (clients may retry).
      await db
        .deleteFrom('model_version_tags')
        .where('name', '=', found.name)
        .where('version', '=', found.version)
        .where('key', '=', key)
        .execute();
    },

    async search(input: RegistrySearchInput = {}): Promise<Page<ModelVersion>> {
      const max = validateMaxResults(
        input.maxResults,
        REGISTRY_LIMITS.searchVersionsDefault,
        REGISTRY_LIMITS.searchVersionsMax,
      );
      const offset = pageOffset(input.pageToken);
      const rows = await compileVersionSearch(database, input)
        .limit(max + 1)
        .offset(offset)
        .execute();
      return {
        items: await reader.versions(rows.slice(0, max)),
        nextPageToken: rows.length > max ? offsetToken(offset + max) : undefined,
      };
    },

    /** Where the version's files are: a `runs:/` source resolved to the run's artifact URI. */
    async downloadUri(name: string, version: string | number): Promise<string> {
      const found = await row(name, version);
      const match = /^runs:\/([^/]+)\/?(.*)$/.exec(found.source);
      if (!match) return found.source;
      const run = await tracking.runs.get(match[1]!);
      return match[2] ? `${run.info.artifactUri}/${match[2]}` : run.info.artifactUri;
    },
  };
}

export type ModelVersions = ReturnType<typeof createModelVersions>;
