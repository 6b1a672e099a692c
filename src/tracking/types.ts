/** Domain types of experiment tracking. The MLflow wire format is mapped onto these in server/mlflow. */

export type LifecycleStage = 'active' | 'deleted';
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
export const VIEW_TYPES: readonly ViewType[] = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'];

export interface Tag {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | undefined;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string | undefined;
  profile?: string | undefined;
}

export interface DatasetInput {
  tags: Tag[];
  dataset: Dataset;
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: Tag[]; tags: Tag[] };
  inputs: { datasetInputs: DatasetInput[] };
}

export interface Page<T> {
  items: T[];
  nextPageToken: string | undefined;
}

export interface CreateRunInput {
  experimentId?: string | undefined;
  runName?: string | undefined;
  userId?: string | undefined;
  startTime?: number | undefined;
  tags?: Tag[] | undefined;
  parentRunId?: string | undefined;
}

export interface UpdateRunInput {
  status?: RunStatus | undefined;
  endTime?: number | undefined;
  runName?: string | undefined;
}

export interface LogBatchInput {
  metrics?: Metric[] | undefined;
  params?: Tag[] | undefined;
  tags?: Tag[] | undefined;
}

export interface SearchRunsInput {
  experimentIds: string[];
  filter?: string | undefined;
  viewType?: ViewType | undefined;
  maxResults?: number | undefined;
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

export interface SearchExperimentsInput {
  filter?: string | undefined;
  viewType?: ViewType | undefined;
  maxResults?: number | undefined;
  orderBy?: string[] | undefined;
  pageToken?: string | undefined;
}

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  fileSize?: number | undefined;
  digest?: string | undefined;
}

/** Tags the SDK and MLflow clients set; the parent link lives in a tag as MLflow keeps it. */
export const SYSTEM_TAGS = Object.freeze({
  parentRunId: 'mlflow.parentRunId',
  runName: 'mlflow.runName',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  gitRepoUrl: 'mlflow.source.git.repoURL',
  gitDirty: 'osprey.source.git.dirty',
  datasetContext: 'mlflow.data.context',
});
