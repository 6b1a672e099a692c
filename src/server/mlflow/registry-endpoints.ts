import type { Registry } from '../../registry/index.js';
import type { MlflowInput } from './mlflow-input.js';
import { modelVersionToWire, registeredModelToWire } from './registry-wire.js';
import { compact } from './wire.js';

/** One MLflow registry RPC: path under `/mlflow`, methods, handler from input to response JSON. */
export interface MlflowRegistryEndpoint {
  path: string;
  methods: readonly ('GET' | 'POST' | 'PATCH' | 'DELETE')[];
  handler: (registry: Registry, input: MlflowInput) => Promise<object>;
}

/** Runs a write and answers with MLflow's empty response. */
const ok = async (work: Promise<unknown>) => {
  await work;
  return {};
};

const model = async (registry: Registry, name: string) => ({
  registered_model: registeredModelToWire(await registry.models.get(name)),
});

async function searchModels(r: Registry, input: MlflowInput) {
  const page = await r.models.search({
    filter: input.optionalString('filter'),
    maxResults: input.optionalInt('max_results'),
    orderBy: input.stringList('order_by'),
    pageToken: input.optionalString('page_token'),
  });
  return compact({
    registered_models: page.items.map(registeredModelToWire),
    next_page_token: page.nextPageToken,
  });
}

/** MLflow REST API 2.0 model registry RPCs (mlflow/protos/model_registry.proto), as data. */
export const REGISTRY_ENDPOINTS: readonly MlflowRegistryEndpoint[] = [
  {
    path: '/registered-models/create',
    methods: ['POST'],
    handler: async (r, input) => ({
      registered_model: registeredModelToWire(
        await r.models.create({
          name: input.string('name'),
          description: input.optionalString('description'),
          tags: input.keyValues('tags'),
        }),
      ),
    }),
  },
  { path: '/registered-models/get', methods: ['GET'], handler: (r, input) => model(r, input.string('name')) },
  { path: '/registered-models/search', methods: ['GET', 'POST'], handler: searchModels },
  // MLflow 1.x clients list registered models here.
  { path: '/registered-models/list', methods: ['GET'], handler: searchModels },
  {
    path: '/registered-models/rename',
    methods: ['POST'],
    handler: async (r, input) => ({
      registered_model: registeredModelToWire(
        await r.models.rename(input.string('name'), input.string('new_name')),
      ),
    }),
  },
  {
    path: '/registered-models/update',
    methods: ['PATCH', 'POST'],
    handler: async (r, input) => ({
      registered_model: registeredModelToWire(
        await r.models.updateDescription(input.string('name'), input.optionalString('description') ?? ''),
      ),
    }),
  },
  {
    path: '/registered-models/delete',
    methods: ['DELETE', 'POST'],
    handler: (r, input) => ok(r.models.delete(input.string('name'))),
  },
  {
    path: '/registered-models/get-latest-versions',
    methods: ['GET', 'POST'],
    handler: async (r, input) =>
      compact({
        model_versions: (await r.versions.latest(input.string('name'), input.stringList('stages'))).map(
          modelVersionToWire,
        ),
      }),
  },
  {
    path: '/registered-models/set-tag',
    methods: ['POST'],
    handler: (r, input) =>
      ok(r.models.setTag(input.string('name'), input.string('key'), input.optionalString('value') ?? '')),
  },
  {
    path: '/registered-models/delete-tag',
    methods: ['DELETE', 'POST'],
    handler: (r, input) => ok(r.models.deleteTag(input.string('name'), input.string('key'))),
  },
  {
    path: '/registered-models/alias',
    methods: ['POST'],
    handler: (r, input) =>
      ok(r.models.setAlias(input.string('name'), input.string('alias'), input.string('version'))),
  },
  {
    path: '/registered-models/alias',
    methods: ['DELETE'],
    handler: (r, input) => ok(r.models.deleteAlias(input.string('name'), input.string('alias'))),
  },
  {
    path: '/registered-models/alias',
    methods: ['GET'],
    handler: async (r, input) => ({
      model_version: modelVersionToWire(
        await r.models.getByAlias(input.string('name'), input.string('alias')),
      ),
    }),
  },
  {
    path: '/model-versions/create',
    methods: ['POST'],
    handler: async (r, input) => ({
      model_version: modelVersionToWire(
        await r.versions.create({
          name: input.string('name'),
          source: input.string('source'),
          runId: input.optionalString('run_id'),
          runLink: input.optionalString('run_link'),
          description: input.optionalString('description'),
          tags: input.keyValues('tags'),
        }),
      ),
    }),
  },
  {
    path: '/model-versions/get',
    methods: ['GET'],
    handler: async (r, input) => ({
      model_version: modelVersionToWire(await r.versions.get(input.string('name'), input.string('version'))),
    }),
  },
  {
    path: '/model-versions/update',
    methods: ['PATCH', 'POST'],
    handler: async (r, input) => ({
      model_version: modelVersionToWire(
        await r.versions.updateDescription(
          input.string('name'),
          input.string('version'),
          input.optionalString('description') ?? '',
        ),
      ),
    }),
  },
  {
    path: '/model-versions/delete',
    methods: ['DELETE', 'POST'],
    handler: (r, input) => ok(r.versions.delete(input.string('name'), input.string('version'))),
  },
  {
    path: '/model-versions/search',
    methods: ['GET', 'POST'],
    handler: async (r, input) => {
      const page = await r.versions.search({
        filter: input.optionalString('filter'),
        maxResults: input.optionalInt('max_results'),
        orderBy: input.stringList('order_by'),
        pageToken: input.optionalString('page_token'),
      });
      return compact({
        model_versions: page.items.map(modelVersionToWire),
        next_page_token: page.nextPageToken,
      });
    },
  },
  {
    path: '/model-versions/transition-stage',
    methods: ['POST'],
    handler: async (r, input) => ({
      model_version: modelVersionToWire(
        await r.versions.transitionStage(
          input.string('name'),
          input.string('version'),
          input.string('stage'),
          input.optionalBoolean('archive_existing_versions') ?? false,
        ),
      ),
    }),
  },
  {
    path: '/model-versions/get-download-uri',
    methods: ['GET'],
    handler: async (r, input) => ({
      artifact_uri: await r.versions.downloadUri(input.string('name'), input.string('version')),
    }),
  },
  {
    path: '/model-versions/set-tag',
    methods: ['POST'],
    handler: (r, input) =>
      ok(
        r.versions.setTag(
          input.string('name'),
          input.string('version'),
          input.string('key'),
          input.optionalString('value') ?? '',
        ),
      ),
  },
  {
    path: '/model-versions/delete-tag',
    methods: ['DELETE', 'POST'],
    handler: (r, input) =>
      ok(r.versions.deleteTag(input.string('name'), input.string('version'), input.string('key'))),
  },
];
