import type { ModelVersion, RegisteredModel } from '../../registry/index.js';
import { compact } from './wire.js';

/** Registry entities in MLflow's wire format (mlflow/protos/model_registry.proto). */

const tags = (list: { key: string; value: string }[]) => list.map((t) => ({ key: t.key, value: t.value }));

export function modelVersionToWire(v: ModelVersion) {
  return compact({
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    user_id: v.userId,
    current_stage: v.currentStage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: v.status,
    status_message: v.statusMessage,
    tags: tags(v.tags),
    run_link: v.runLink,
    aliases: v.aliases,
  });
}

export function registeredModelToWire(m: RegisteredModel) {
  return compact({
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    description: m.description,
    latest_versions: m.latestVersions.map(modelVersionToWire),
    tags: tags(m.tags),
    aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.version })),
  });
}
