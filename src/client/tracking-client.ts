import type { Readable } from 'node:stream';
import type {
  CreateModelVersionInput,
  ModelVersion,
  ModelVersionLineage,
  RegisteredModel,
  RegistrySearchInput,
} from '../registry/index.js';
import type {
  ArtifactEntry,
  CreateRunInput,
  DatasetInput,
  Experiment,
  LogBatchInput,
  Metric,
  Page,
  Run,
  RunInfo,
  SampledHistoryInput,
  SearchExperimentsInput,
  SearchRunsInput,
  Tag,
  UpdateRunInput,
} from '../tracking/index.js';

/** Content to upload: bytes, a stream, or (in Node) a local file path wrapped as `{ file }`. */
export type UploadSource = Uint8Array | Readable | { file: string };

/**
 * The tracking API as the SDK sees it. The same interface is served by a remote Osprey server
 * (`createHttpClient`) and by the local store in-process (`createEmbeddedClient`).
 */
export interface TrackingClient {
  createExperiment(input: { name: string; artifactLocation?: string; tags?: Tag[] }): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment>;
  searchExperiments(input?: SearchExperimentsInput): Promise<Page<Experiment>>;
  renameExperiment(experimentId: string, name: string): Promise<void>;
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;

  createRun(input: CreateRunInput): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  searchRuns(input: SearchRunsInput): Promise<Page<Run>>;
  logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  logInputs(runId: string, inputs: DatasetInput[]): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  getSampledMetric(input: SampledHistoryInput): Promise<Metric[]>;

  listArtifacts(runId: string, path?: string): Promise<ArtifactEntry[]>;
  uploadArtifact(runId: string, path: string, source: UploadSource): Promise<ArtifactEntry>;
  downloadArtifact(runId: string, path: string): Promise<Readable>;

  /** Releases what the client holds (database handles for the embedded client). */
  close(): Promise<void>;
}

/** The model registry as the SDK sees it; served remotely and embedded like the tracking API. */
export interface RegistryClient {
  createRegisteredModel(input: {
    name: string;
    description?: string;
    tags?: Tag[];
  }): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  searchRegisteredModels(input?: RegistrySearchInput): Promise<Page<RegisteredModel>>;
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  deleteRegisteredModel(name: string): Promise<void>;
  createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  searchModelVersions(input?: RegistrySearchInput): Promise<Page<ModelVersion>>;
  deleteModelVersion(name: string, version: string): Promise<void>;
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    archiveExisting?: boolean,
  ): Promise<ModelVersion>;
  setModelAlias(name: string, alias: string, version: string): Promise<ModelVersion>;
  deleteModelAlias(name: string, alias: string): Promise<void>;
  /** The version a `models:/` URI names now (`models:/fraud@champion`, `models:/fraud/3`). */
  resolveModel(uri: string): Promise<ModelVersion>;
  getModelVersionLineage(name: string, version: string): Promise<ModelVersionLineage>;
}

/** Everything the SDK offers: tracking and the registry, on one connection. */
export interface OspreyClient extends TrackingClient, RegistryClient {}
