import type { ModelVersion } from '../registry/index.js';
import type { OspreyClient } from './tracking-client.js';

/**
 * Registers `source` (e.g. `runs:/<run>/model`) as a new version of `name`, creating the registered
 * model on first use, like MLflow's `register_model`.
 */
export async function registerModel(
  client: OspreyClient,
  source: string,
  name: string,
  options: { description?: string; tags?: { key: string; value: string }[] } = {},
): Promise<ModelVersion> {
  const runId = /^runs:\/([^/]+)/.exec(source)?.[1];
  // An unknown run fails here, before the registered model is created: nothing is left half-way.
  if (runId) await client.getRun(runId);
  try {
    await client.createRegisteredModel({ name });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ALREADY_EXISTS') throw error;
  }
  return client.createModelVersion({ name, source, runId, ...options });
}
