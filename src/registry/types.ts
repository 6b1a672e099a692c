import type { Tag } from '../tracking/index.js';

/** Legacy MLflow stages (deprecated there since 2.9 in favour of aliases, kept for old clients). */
export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];

export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface ModelVersion {
  name: string;
  /** A decimal string, as MLflow sends it ("1", "2", …). */
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string | undefined;
  currentStage: Stage;
  description: string | undefined;
  source: string;
  runId: string | undefined;
  runLink: string | undefined;
  status: ModelVersionStatus;
  statusMessage: string | undefined;
  tags: Tag[];
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string | undefined;
  /** The newest version in each stage. */
  latestVersions: ModelVersion[];
  tags: Tag[];
  aliases: { alias: string; version: string }[];
}

export interface CreateModelVersionInput {
  name: string;
  source: string;
  runId?: string | undefined;
  runLink?: string | undefined;
  description?: string | undefined;
  userId?: string | undefined;
  tags?: Tag[] | undefined;
}

export interface RegistrySearchInput {
  filter?: string | undefined;
  maxResults?: number | undefined;
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

/** Where a model version came from: the run, its params and metrics, the data it read, the code commit. */
export interface ModelVersionLineage {
  version: ModelVersion;
  run:
    | {
        runId: string;
        experimentId: string;
        runName: string;
        params: Tag[];
        metrics: { key: string; value: number; step: number }[];
        datasets: { name: string; digest: string; source: string; context: string | undefined }[];
        gitCommit: string | undefined;
        gitBranch: string | undefined;
        gitDirty: boolean | undefined;
      }
    | undefined;
}
