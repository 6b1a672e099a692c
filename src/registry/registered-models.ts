import { alreadyExists, notFound } from '../errors/index.js';
import { isUniqueViolation } from '../store/db/index.js';
import {
  offsetToken,
  type Page,
  pageOffset,
  type Tag,
  validateKey,
  validateMaxResults,
  validateValue,
} from '../tracking/index.js';
import type { RegistryDeps } from './registry-deps.js';
import { createRegistryReader } from './registry-reader.js';
import { REGISTRY_LIMITS, validateAlias, validateModelName, validateVersion } from './registry-rules.js';
import { compileModelSearch } from './registry-search.js';
import type { ModelVersion, RegisteredModel, RegistrySearchInput } from './types.js';

/** Registered models: create, read, rename, describe, delete, tags, aliases, search. */
export function createRegisteredModels({ database, clock }: RegistryDeps) {
  const { db } = database;
  const reader = createRegistryReader(database);
  const tables = [
    'registered_model_tags',
    'model_versions',
    'model_version_tags',
    'registered_model_aliases',
  ] as const;

  async function row(name: string) {
    const found = await db
      .selectFrom('registered_models')
      .selectAll()
      .where('name', '=', validateModelName(name))
      .executeTakeFirst();
    if (!found) throw notFound(`Registered Model with name=${name} not found`);
    return found;
  }

  const touch = (name: string) =>
    db
      .updateTable('registered_models')
      .set({ last_updated_time: clock() })
      .where('name', '=', name)
      .execute();

  const validTags = (tags: Tag[] = []) =>
    tags.map((t) => ({
      key: validateKey(t.key, 'tag'),
      value: validateValue(t.value, 'tag', REGISTRY_LIMITS.tagValueLength),
    }));

  return {
    /** Creates a registered model; a name in use is ALREADY_EXISTS. */
    async create(input: {
      name: string;
      description?: string | undefined;
      tags?: Tag[] | undefined;
    }): Promise<RegisteredModel> {
      const name = validateModelName(input.name);
      const tags = validTags(input.tags);
      const now = clock();
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('registered_models')
            .values({
              name,
              description: input.description ?? null,
              creation_time: now,
              last_updated_time: now,
            })
            .execute();
          if (tags.length > 0)
            await trx
              .insertInto('registered_model_tags')
              .values(tags.map((t) => ({ name, ...t })))
              .execute();
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
        throw error;
      }
      return this.get(name);
    },

    async get(name: string): Promise<RegisteredModel> {
      return (await reader.models([await row(name)]))[0]!;
    },

    /** Renames a model and every version, tag and alias with it. */
    async rename(name: string, newName: string): Promise<RegisteredModel> {
      await row(name);
      const target = validateModelName(newName);
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('registered_models')
            .set({ name: target, last_updated_time: clock() })
            .where('name', '=', name)
            .execute();
          for (const table of tables)
            await trx.updateTable(table).set({ name: target }).where('name', '=', name).execute();
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw alreadyExists(`Registered Model (name=${target}) already exists.`);
        throw error;
      }
      return this.get(target);
    },

    async updateDescription(name: string, description: string): Promise<RegisteredModel> {
      await row(name);
      validateValue(description, 'description', REGISTRY_LIMITS.descriptionLength);
      await db
        .updateTable('registered_models')
        .set({ description, last_updated_time: clock() })
        .where('name', '=', name)
        .execute();
      return this.get(name);
    },

    /** Deletes a model with all its versions, tags and aliases. */
    async delete(name: string): Promise<void> {
      await row(name);
      await db.transaction().execute(async (trx) => {
        for (const table of tables) await trx.deleteFrom(table).where('name', '=', name).execute();
        await trx.deleteFrom('registered_models').where('name', '=', name).execute();
      });
    },

    async setTag(name: string, key: string, value: string): Promise<void> {
      await row(name);
      const [tag] = validTags([{ key, value }]);
      await db
        .insertInto('registered_model_tags')
        .values({ name, ...tag! })
        .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({ value: tag!.value }))
        .execute();
      await touch(name);
    },

    async deleteTag(name: string, key: string): Promise<void> {
      await row(name);
      // Deleting an absent tag is a no-op, as in MLflow's registry (clients may retry).
      await db.deleteFrom('registered_model_tags').where('name', '=', name).where('key', '=', key).execute();
    },

    /** Points an alias at a version (moving it if it pointed elsewhere). */
    async setAlias(name: string, alias: string, version: string | number): Promise<void> {
      await row(name);
      const clean = validateAlias(alias);
      const number = validateVersion(version);
      const exists = await db
        .selectFrom('model_versions')
        .select('version')
        .where('name', '=', name)
        .where('version', '=', number)
        .executeTakeFirst();
      if (!exists) throw notFound(`Model Version (name=${name}, version=${number}) not found`);
      await db
        .insertInto('registered_model_aliases')
        .values({ name, alias: clean, version: number })
        .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version: number }))
        .execute();
      await touch(name);
    },

    async deleteAlias(name: string, alias: string): Promise<void> {
      await row(name);
      // Deleting an absent alias is a no-op, as in MLflow's registry.
      const result = await db
        .deleteFrom('registered_model_aliases')
        .where('name', '=', name)
        .where('alias', '=', validateAlias(alias))
        .executeTakeFirst();
      if (Number(result.numDeletedRows) > 0) await touch(name);
    },

    /** The version an alias points at. */
    async getByAlias(name: string, alias: string): Promise<ModelVersion> {
      await row(name);
      const found = await db
        .selectFrom('registered_model_aliases')
        .innerJoin('model_versions', (join) =>
          join
            .onRef('model_versions.name', '=', 'registered_model_aliases.name')
            .onRef('model_versions.version', '=', 'registered_model_aliases.version'),
        )
        .selectAll('model_versions')
        .where('registered_model_aliases.name', '=', name)
        .where('registered_model_aliases.alias', '=', validateAlias(alias))
        .executeTakeFirst();
      if (!found) throw notFound(`Registered model alias ${alias} not found.`);
      return (await reader.versions([found]))[0]!;
    },

    /** Searches registered models with MLflow's registry filter grammar. */
    async search(input: RegistrySearchInput = {}): Promise<Page<RegisteredModel>> {
      const max = validateMaxResults(
        input.maxResults,
        REGISTRY_LIMITS.searchModelsDefault,
        REGISTRY_LIMITS.searchModelsMax,
      );
      const offset = pageOffset(input.pageToken);
      const rows = await compileModelSearch(database, input)
        .limit(max + 1)
        .offset(offset)
        .execute();
      return {
        items: await reader.models(rows.slice(0, max)),
        nextPageToken: rows.length > max ? offsetToken(offset + max) : undefined,
      };
    },
  };
}

export type RegisteredModels = ReturnType<typeof createRegisteredModels>;
