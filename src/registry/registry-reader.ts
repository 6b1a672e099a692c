import type { Selectable } from 'kysely';
import type { Database, ModelVersionTable, RegisteredModelTable } from '../store/db/index.js';
import type { Tag } from '../tracking/index.js';
import { toModelVersion, toRegisteredModel } from './row-mappers.js';
import type { ModelVersion, RegisteredModel } from './types.js';

const versionKey = (name: string, version: number | string) => `${name}\u0000${version}`;

/** Loads registry entities with their tags, aliases and latest versions in a few batched queries. */
export function createRegistryReader({ db }: Database) {
  async function versions(rows: ModelVersionTable[]): Promise<ModelVersion[]> {
    if (rows.length === 0) return [];
    const names = [...new Set(rows.map((r) => r.name))];
    const [tags, aliases] = await Promise.all([
      db.selectFrom('model_version_tags').selectAll().where('name', 'in', names).orderBy('key').execute(),
      db
        .selectFrom('registered_model_aliases')
        .selectAll()
        .where('name', 'in', names)
        .orderBy('alias')
        .execute(),
    ]);
    const tagsOf = new Map<string, Tag[]>();
    for (const t of tags) {
      const key = versionKey(t.name, t.version);
      tagsOf.set(key, [...(tagsOf.get(key) ?? []), { key: t.key, value: t.value }]);
    }
    const aliasesOf = new Map<string, string[]>();
    for (const a of aliases) {
      const key = versionKey(a.name, a.version);
      aliasesOf.set(key, [...(aliasesOf.get(key) ?? []), a.alias]);
    }
    return rows.map((row) => {
      const key = versionKey(row.name, row.version);
      return toModelVersion(row, tagsOf.get(key) ?? [], aliasesOf.get(key) ?? []);
    });
  }

  /** The newest version of each stage of each model, as `latest_versions` reports them. */
  async function latestPerStage(names: string[]): Promise<Map<string, ModelVersion[]>> {
    const byName = new Map<string, ModelVersion[]>(names.map((n) => [n, []]));
    if (names.length === 0) return byName;
    const newest = await db
      .selectFrom('model_versions')
      .select(['name', 'current_stage'])
      .select((eb) => eb.fn.max('version').as('version'))
      .where('name', 'in', names)
      .groupBy(['name', 'current_stage'])
      .execute();
    if (newest.length === 0) return byName;
    const rows = await db
      .selectFrom('model_versions')
      .selectAll()
      .where((eb) =>
        eb.or(newest.map((n) => eb.and([eb('name', '=', n.name), eb('version', '=', Number(n.version))]))),
      )
      .orderBy('version')
      .execute();
    for (const version of await versions(rows)) byName.get(version.name)?.push(version);
    return byName;
  }

  async function models(rows: Selectable<RegisteredModelTable>[]): Promise<RegisteredModel[]> {
    if (rows.length === 0) return [];
    const names = rows.map((r) => r.name);
    const [tags, aliases, latest] = await Promise.all([
      db.selectFrom('registered_model_tags').selectAll().where('name', 'in', names).orderBy('key').execute(),
      db
        .selectFrom('registered_model_aliases')
        .selectAll()
        .where('name', 'in', names)
        .orderBy('alias')
        .execute(),
      latestPerStage(names),
    ]);
    return rows.map((row) =>
      toRegisteredModel(
        row,
        tags.filter((t) => t.name === row.name).map((t) => ({ key: t.key, value: t.value })),
        aliases
          .filter((a) => a.name === row.name)
          .map((a) => ({ alias: a.alias, version: String(a.version) })),
        latest.get(row.name) ?? [],
      ),
    );
  }

  return { versions, models, latestPerStage };
}

export type RegistryReader = ReturnType<typeof createRegistryReader>;
