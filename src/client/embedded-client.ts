import { createReadStream } from 'node:fs';
import type { Osprey } from '../app/index.js';
import type { OspreyClient, UploadSource } from './tracking-client.js';

function toBlobSource(source: UploadSource) {
  return 'file' in source && typeof source.file === 'string'
    ? createReadStream(source.file)
    : (source as Exclude<UploadSource, { file: string }>);
}

/** The tracking client on an in-process Osprey (local SQLite + blob directory by default). */
export function createEmbeddedClient(osprey: Osprey, { ownsOsprey = false } = {}): OspreyClient {
  const t = osprey.tracking;
  const r = osprey.registry;
  return {
    createExperiment: (input) => t.experiments.create(input),
    getExperiment: (id) => t.experiments.get(id),
    getExperimentByName: (name) => t.experiments.getByName(name),
    searchExperiments: (input = {}) => t.experiments.search(input),
    renameExperiment: (id, name) => t.experiments.rename(id, name),
    deleteExperiment: (id) => t.experiments.delete(id),
    restoreExperiment: (id) => t.experiments.restore(id),
    setExperimentTag: (id, key, value) => t.experiments.setTag(id, key, value),
    createRun: (input) => t.runs.create(input),
    getRun: (runId) => t.runs.get(runId),
    updateRun: (runId, input) => t.runs.update(runId, input),
    deleteRun: (runId) => t.runs.delete(runId),
    restoreRun: (runId) => t.runs.restore(runId),
    searchRuns: (input) => t.search.search(input),
    logBatch: (runId, batch) => t.logger.logBatch(runId, batch),
    logInputs: (runId, inputs) => t.logger.logInputs(runId, inputs),
    setTag: (runId, key, value) => t.runs.setTag(runId, key, value),
    deleteTag: (runId, key) => t.runs.deleteTag(runId, key),
    getMetricHistory: async (runId, key) => (await t.metrics.history(runId, key)).items,
    getSampledMetric: (input) => t.metrics.sampled(input),
    listArtifacts: async (runId, path = '') => {
      await t.runs.get(runId);
      return t.artifacts.list(runId, path);
    },
    uploadArtifact: async (runId, path, source) => {
      await t.runs.get(runId);
      return t.artifacts.upload(runId, path, toBlobSource(source));
    },
    downloadArtifact: async (runId, path) => {
      await t.runs.get(runId);
      return (await t.artifacts.download(runId, path)).stream;
    },
    createRegisteredModel: (input) => r.models.create(input),
    getRegisteredModel: (name) => r.models.get(name),
    searchRegisteredModels: (input) => r.models.search(input),
    renameRegisteredModel: (name, newName) => r.models.rename(name, newName),
    deleteRegisteredModel: (name) => r.models.delete(name),
    createModelVersion: (input) => r.versions.create(input),
    getModelVersion: (name, version) => r.versions.get(name, version),
    searchModelVersions: (input) => r.versions.search(input),
    deleteModelVersion: (name, version) => r.versions.delete(name, version),
    transitionModelVersionStage: (name, version, stage, archive = false) =>
      r.versions.transitionStage(name, version, stage, archive),
    setModelAlias: async (name, alias, version) => {
      await r.models.setAlias(name, alias, version);
      return r.models.getByAlias(name, alias);
    },
    deleteModelAlias: (name, alias) => r.models.deleteAlias(name, alias),
    resolveModel: (uri) => r.resolve(uri),
    getModelVersionLineage: (name, version) => r.lineage(name, version),
    close: async () => {
      if (ownsOsprey) await osprey.close();
    },
  };
}
