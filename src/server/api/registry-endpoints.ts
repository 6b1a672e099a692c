import { endpoint } from './endpoint.js';
import * as s from './schemas.js';

const MODELS = ['models'];

/** Runs a write and answers with an empty object. */
const ok = async (work: Promise<unknown>) => {
  await work;
  return {};
};

/** The native registry API under /api/v1/models. */
export const REGISTRY_API = [
  endpoint({
    method: 'POST',
    url: '/models',
    summary: 'Register a model name',
    tags: MODELS,
    body: s.createModelBody,
    handler: async (o, { body }, _req, reply) => reply.status(201).send(await o.registry.models.create(body)),
  }),
  endpoint({
    method: 'GET',
    url: '/models',
    summary: 'Search registered models',
    tags: MODELS,
    query: s.registrySearchQuery,
    handler: async (o, { query }) => {
      const page = await o.registry.models.search(query);
      return { models: page.items, nextPageToken: page.nextPageToken };
    },
  }),
  endpoint({
    method: 'GET',
    url: '/models/resolve',
    summary: 'Resolve a models:/ URI (version, @alias, stage or latest) to a model version',
    tags: MODELS,
    query: s.resolveQuery,
    handler: (o, { query }) => o.registry.resolve(query.uri),
  }),
  endpoint({
    method: 'GET',
    url: '/models/:name',
    summary: 'Get a registered model',
    tags: MODELS,
    params: s.modelNameParams,
    handler: (o, { params }) => o.registry.models.get(params.name),
  }),
  endpoint({
    method: 'PATCH',
    url: '/models/:name',
    summary: 'Rename a model or change its description',
    tags: MODELS,
    params: s.modelNameParams,
    body: s.updateModelBody,
    handler: async (o, { params, body }) => {
      let name = params.name;
      if (body.newName) name = (await o.registry.models.rename(name, body.newName)).name;
      if (body.description !== undefined) await o.registry.models.updateDescription(name, body.description);
      return o.registry.models.get(name);
    },
  }),
  endpoint({
    method: 'DELETE',
    url: '/models/:name',
    summary: 'Delete a model with all its versions',
    tags: MODELS,
    params: s.modelNameParams,
    handler: (o, { params }) => ok(o.registry.models.delete(params.name)),
  }),
  endpoint({
    method: 'PUT',
    url: '/models/:name/tags/:key',
    summary: 'Set a registered model tag',
    tags: MODELS,
    params: s.modelNameParams.extend(s.tagKeyParams.shape),
    body: s.tagValueBody,
    handler: (o, { params, body }) => ok(o.registry.models.setTag(params.name, params.key, body.value)),
  }),
  endpoint({
    method: 'DELETE',
    url: '/models/:name/tags/:key',
    summary: 'Delete a registered model tag',
    tags: MODELS,
    params: s.modelNameParams.extend(s.tagKeyParams.shape),
    handler: (o, { params }) => ok(o.registry.models.deleteTag(params.name, params.key)),
  }),
  endpoint({
    method: 'PUT',
    url: '/models/:name/aliases/:alias',
    summary: 'Point an alias (e.g. champion) at a version',
    tags: MODELS,
    params: s.aliasParams,
    body: s.setAliasBody,
    handler: async (o, { params, body }) => {
      await o.registry.models.setAlias(params.name, params.alias, body.version);
      return o.registry.models.getByAlias(params.name, params.alias);
    },
  }),
  endpoint({
    method: 'GET',
    url: '/models/:name/aliases/:alias',
    summary: 'The version an alias points at',
    tags: MODELS,
    params: s.aliasParams,
    handler: (o, { params }) => o.registry.models.getByAlias(params.name, params.alias),
  }),
  endpoint({
    method: 'DELETE',
    url: '/models/:name/aliases/:alias',
    summary: 'Delete an alias',
    tags: MODELS,
    params: s.aliasParams,
    handler: (o, { params }) => ok(o.registry.models.deleteAlias(params.name, params.alias)),
  }),
  endpoint({
    method: 'POST',
    url: '/models/:name/versions',
    summary: 'Register a new version from a source URI (e.g. runs:/<run>/model)',
    tags: MODELS,
    params: s.modelNameParams,
    body: s.createVersionBody,
    handler: async (o, { params, body }, _req, reply) =>
      reply.status(201).send(await o.registry.versions.create({ name: params.name, ...body })),
  }),
  endpoint({
    method: 'GET',
    url: '/model-versions',
    summary: 'Search model versions',
    tags: MODELS,
    query: s.registrySearchQuery,
    handler: async (o, { query }) => {
      const page = await o.registry.versions.search(query);
      return { versions: page.items, nextPageToken: page.nextPageToken };
    },
  }),
  endpoint({
    method: 'GET',
    url: '/models/:name/versions/:version',
    summary: 'Get a model version',
    tags: MODELS,
    params: s.modelVersionParams,
    handler: (o, { params }) => o.registry.versions.get(params.name, params.version),
  }),
  endpoint({
    method: 'PATCH',
    url: '/models/:name/versions/:version',
    summary: 'Change a version description or (legacy) stage',
    tags: MODELS,
    params: s.modelVersionParams,
    body: s.updateVersionBody,
    handler: async (o, { params, body }) => {
      if (body.description !== undefined)
        await o.registry.versions.updateDescription(params.name, params.version, body.description);
      if (body.stage !== undefined) {
        await o.registry.versions.transitionStage(
          params.name,
          params.version,
          body.stage,
          body.archiveExistingVersions,
        );
      }
      return o.registry.versions.get(params.name, params.version);
    },
  }),
  endpoint({
    method: 'DELETE',
    url: '/models/:name/versions/:version',
    summary: 'Delete a model version',
    tags: MODELS,
    params: s.modelVersionParams,
    handler: (o, { params }) => ok(o.registry.versions.delete(params.name, params.version)),
  }),
  endpoint({
    method: 'PUT',
    url: '/models/:name/versions/:version/tags/:key',
    summary: 'Set a model version tag',
    tags: MODELS,
    params: s.modelVersionParams.extend(s.tagKeyParams.shape),
    body: s.tagValueBody,
    handler: (o, { params, body }) =>
      ok(o.registry.versions.setTag(params.name, params.version, params.key, body.value)),
  }),
  endpoint({
    method: 'DELETE',
    url: '/models/:name/versions/:version/tags/:key',
    summary: 'Delete a model version tag',
    tags: MODELS,
    params: s.modelVersionParams.extend(s.tagKeyParams.shape),
    handler: (o, { params }) => ok(o.registry.versions.deleteTag(params.name, params.version, params.key)),
  }),
  endpoint({
    method: 'GET',
    url: '/models/:name/versions/:version/lineage',
    summary: 'Run, params, metrics, dataset digests and git commit behind a version',
    tags: MODELS,
    params: s.modelVersionParams,
    handler: (o, { params }) => o.registry.lineage(params.name, params.version),
  }),
];
