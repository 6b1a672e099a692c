import type { Selectable } from 'kysely';
import type { ModelVersionTable, RegisteredModelTable } from '../store/db/index.js';
import type { Tag } from '../tracking/index.js';
import type { ModelVersion, ModelVersionStatus, RegisteredModel, Stage } from './types.js';

/** Maps a model_versions row (plus its tags and aliases) to the domain type. */
export function toModelVersion(row: ModelVersionTable, tags: Tag[], aliases: string[]): ModelVersion {
  return {
    name: row.name,
    version: String(row.version),
    creationTimestamp: Number(row.creation_time),
    lastUpdatedTimestamp: Number(row.last_updated_time),
    userId: row.user_id ?? undefined,
    currentStage: row.current_stage as Stage,
    description: row.description ?? undefined,
    source: row.source,
    runId: row.run_id ?? undefined,
    runLink: row.run_link ?? undefined,
    status: row.status as ModelVersionStatus,
    statusMessage: row.status_message ?? undefined,
    tags,
    aliases,
  };
}

/** Maps a registered_models row to the domain type. */
export function toRegisteredModel(
  row: Selectable<RegisteredModelTable>,
  tags: Tag[],
  aliases: { alias: string; version: string }[],
  latestVersions: ModelVersion[],
): RegisteredModel {
  return {
    name: row.name,
    creationTimestamp: Number(row.creation_time),
    lastUpdatedTimestamp: Number(row.last_updated_time),
    description: row.description ?? undefined,
    latestVersions,
    tags,
    aliases,
  };
}
