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
  try {
    await client.createRegisteredModel({ name });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ALREADY_EXISTS') throw error;
  }
  const runId = /^runs:\/([^/]+)/.exec(source)?.[1];
  return client.createModelVersion({ name, source, runId, ...options });
}
