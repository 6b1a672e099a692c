import { notFound } from '../errors/index.js';
import { SYSTEM_TAGS } from '../tracking/index.js';
import { parseModelUri } from './model-uri.js';
import { createModelVersions } from './model-versions.js';
import { createRegisteredModels } from './registered-models.js';
import type { RegistryDeps } from './registry-deps.js';
import type { ModelVersion, ModelVersionLineage } from './types.js';

/** The model registry: registered models and versions, URI resolution and lineage. */
export function createRegistry(deps: RegistryDeps) {
  const models = createRegisteredModels(deps);
  const versions = createModelVersions(deps);

  /** The version a `models:/` URI names right now (aliases and stages resolve at call time). */
  async function resolve(uri: string): Promise<ModelVersion> {
    const ref = parseModelUri(uri);
    if ('version' in ref) return versions.get(ref.name, ref.version);
    if ('alias' in ref) return models.getByAlias(ref.name, ref.alias);
    const candidates =
      'stage' in ref ? await versions.latest(ref.name, [ref.stage]) : await versions.latest(ref.name);
    const newest = candidates.sort((a, b) => Number(b.version) - Number(a.version))[0];
    if (!newest) throw notFound(`No version of '${ref.name}' matches ${uri}`);
    return newest;
  }

  /** Everything a version can be traced back to: run, params, metrics, dataset digests, git commit. */
  async function lineage(name: string, version: string | number): Promise<ModelVersionLineage> {
    const found = await versions.get(name, version);
    const runId = found.runId ?? /^runs:\/([^/]+)/.exec(found.source)?.[1];
    if (!runId) return { version: found, run: undefined };
    const run = await deps.tracking.runs.get(runId);
    const tag = (key: string) => run.data.tags.find((t) => t.key === key)?.value;
    const dirty = tag(SYSTEM_TAGS.gitDirty);
    return {
      version: found,
      run: {
        runId,
        experimentId: run.info.experimentId,
        runName: run.info.runName,
        params: run.data.params,
        metrics: run.data.metrics.map((m) => ({ key: m.key, value: m.value, step: m.step })),
        datasets: run.inputs.datasetInputs.map((d) => ({
          name: d.dataset.name,
          digest: d.dataset.digest,
          source: d.dataset.source,
          context: d.tags.find((t) => t.key === SYSTEM_TAGS.datasetContext)?.value,
        })),
        gitCommit: tag(SYSTEM_TAGS.gitCommit),
        gitBranch: tag(SYSTEM_TAGS.gitBranch),
        gitDirty: dirty === undefined ? undefined : dirty === 'true',
      },
    };
  }

  return { models, versions, resolve, lineage };
}

export type Registry = ReturnType<typeof createRegistry>;
