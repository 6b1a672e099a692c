import type { ViewType } from '../../tracking/index.js';
import { endpoint } from './endpoint.js';
import { metricJson, runJson } from './json-numbers.js';
import * as s from './schemas.js';

/** Runs a write and answers with the empty object MLflow and the native API return for it. */
const ok = async (work: Promise<unknown>) => {
  await work;
  return {};
};

const EXPERIMENTS = ['experiments'];
const RUNS = ['runs'];
const ARTIFACTS = ['artifacts'];

/** The native tracking API under /api/v1: resources in camelCase JSON. */
export const TRACKING_API = [
  endpoint({
    method: 'POST',
    url: '/experiments',
    summary: 'Create an experiment',
    tags: EXPERIMENTS,
    body: s.createExperimentBody,
    handler: async (o, { body }, _req, reply) => {
      const experimentId = await o.tracking.experiments.create(body);
      return reply.status(201).send({ experimentId });
    },
  }),
  endpoint({
    method: 'GET',
    url: '/experiments',
    summary: 'Search experiments',
    tags: EXPERIMENTS,
    query: s.searchExperimentsQuery,
    handler: async (o, { query }) => {
      const page = await o.tracking.experiments.search({
        ...query,
        viewType: query.viewType as ViewType | undefined,
      });
      return { experiments: page.items, nextPageToken: page.nextPageToken };
    },
  }),
  endpoint({
    method: 'GET',
    url: '/experiments/:experimentId',
    summary: 'Get an experiment',
    tags: EXPERIMENTS,
    params: s.experimentIdParams,
    handler: (o, { params }) => o.tracking.experiments.get(params.experimentId),
  }),
  endpoint({
    method: 'GET',
    url: '/experiments/by-name/:name',
    summary: 'Get an experiment by name',
    tags: EXPERIMENTS,
    params: s.tagKeyParams.extend({ name: s.tagKeyParams.shape.key }).omit({ key: true }),
    handler: (o, { params }) => o.tracking.experiments.getByName(params.name),
  }),
  endpoint({
    method: 'PATCH',
    url: '/experiments/:experimentId',
    summary: 'Rename an experiment',
    tags: EXPERIMENTS,
    params: s.experimentIdParams,
    body: s.updateExperimentBody,
    handler: async (o, { params, body }) => {
      await o.tracking.experiments.rename(params.experimentId, body.name);
      return o.tracking.experiments.get(params.experimentId);
    },
  }),
  endpoint({
    method: 'DELETE',
    url: '/experiments/:experimentId',
    summary: 'Delete an experiment (and its runs), restorable',
    tags: EXPERIMENTS,
    params: s.experimentIdParams,
    handler: (o, { params }) => ok(o.tracking.experiments.delete(params.experimentId)),
  }),
  endpoint({
    method: 'POST',
    url: '/experiments/:experimentId/restore',
    summary: 'Restore a deleted experiment',
    tags: EXPERIMENTS,
    params: s.experimentIdParams,
    handler: (o, { params }) => ok(o.tracking.experiments.restore(params.experimentId)),
  }),
  endpoint({
    method: 'PUT',
    url: '/experiments/:experimentId/tags/:key',
    summary: 'Set an experiment tag',
    tags: EXPERIMENTS,
    params: s.experimentIdParams.extend(s.tagKeyParams.shape),
    body: s.tagValueBody,
    handler: (o, { params, body }) =>
      ok(o.tracking.experiments.setTag(params.experimentId, params.key, body.value)),
  }),
  endpoint({
    method: 'DELETE',
    url: '/experiments/:experimentId/tags/:key',
    summary: 'Delete an experiment tag',
    tags: EXPERIMENTS,
    params: s.experimentIdParams.extend(s.tagKeyParams.shape),
    handler: (o, { params }) => ok(o.tracking.experiments.deleteTag(params.experimentId, params.key)),
  }),
  endpoint({
    method: 'POST',
    url: '/runs',
    summary: 'Create a run',
    tags: RUNS,
    body: s.createRunBody,
    handler: async (o, { body }, _req, reply) =>
      reply.status(201).send(runJson(await o.tracking.runs.create(body))),
  }),
  endpoint({
    method: 'POST',
    url: '/runs/search',
    summary: "Search runs with MLflow's filter grammar",
    tags: RUNS,
    body: s.searchRunsBody,
    handler: async (o, { body }) => {
      const page = await o.tracking.search.search({
        ...body,
        viewType: body.viewType as ViewType | undefined,
      });
      return { runs: page.items.map(runJson), nextPageToken: page.nextPageToken };
    },
  }),
  endpoint({
    method: 'GET',
    url: '/runs/:runId',
    summary: 'Get a run',
    tags: RUNS,
    params: s.runIdParams,
    handler: async (o, { params }) => runJson(await o.tracking.runs.get(params.runId)),
  }),
  endpoint({
    method: 'PATCH',
    url: '/runs/:runId',
    summary: 'Update status, end time or name',
    tags: RUNS,
    params: s.runIdParams,
    body: s.updateRunBody,
    handler: (o, { params, body }) =>
      o.tracking.runs.update(params.runId, body as Parameters<typeof o.tracking.runs.update>[1]),
  }),
  endpoint({
    method: 'DELETE',
    url: '/runs/:runId',
    summary: 'Delete a run, restorable',
    tags: RUNS,
    params: s.runIdParams,
    handler: (o, { params }) => ok(o.tracking.runs.delete(params.runId)),
  }),
  endpoint({
    method: 'POST',
    url: '/runs/:runId/restore',
    summary: 'Restore a deleted run',
    tags: RUNS,
    params: s.runIdParams,
    handler: (o, { params }) => ok(o.tracking.runs.restore(params.runId)),
  }),
  endpoint({
    method: 'POST',
    url: '/runs/:runId/batch',
    summary: 'Log metrics, params and tags in one atomic batch',
    tags: RUNS,
    params: s.runIdParams,
    body: s.logBatchBody,
    handler: (o, { params, body }) => ok(o.tracking.logger.logBatch(params.runId, body)),
  }),
  endpoint({
    method: 'POST',
    url: '/runs/:runId/inputs',
    summary: 'Record the datasets a run consumed',
    tags: RUNS,
    params: s.runIdParams,
    body: s.logInputsBody,
    handler: (o, { params, body }) => ok(o.tracking.logger.logInputs(params.runId, body.datasetInputs)),
  }),
  endpoint({
    method: 'PUT',
    url: '/runs/:runId/tags/:key',
    summary: 'Set a run tag',
    tags: RUNS,
    params: s.runIdParams.extend(s.tagKeyParams.shape),
    body: s.tagValueBody,
    handler: (o, { params, body }) => ok(o.tracking.runs.setTag(params.runId, params.key, body.value)),
  }),
  endpoint({
    method: 'DELETE',
    url: '/runs/:runId/tags/:key',
    summary: 'Delete a run tag',
    tags: RUNS,
    params: s.runIdParams.extend(s.tagKeyParams.shape),
    handler: (o, { params }) => ok(o.tracking.runs.deleteTag(params.runId, params.key)),
  }),
  endpoint({
    method: 'GET',
    url: '/runs/:runId/metrics/:key/history',
    summary: "A metric's full history, paged when maxResults is given",
    tags: RUNS,
    params: s.metricParams,
    query: s.historyQuery,
    handler: async (o, { params, query }) => {
      const page = await o.tracking.metrics.history(params.runId, params.key, query);
      return { metrics: page.items.map(metricJson), nextPageToken: page.nextPageToken };
    },
  }),
  endpoint({
    method: 'GET',
    url: '/runs/:runId/metrics/:key/sampled',
    summary: "A metric's history downsampled for charts, keeping each bucket's min and max",
    tags: RUNS,
    params: s.metricParams,
    query: s.sampledQuery,
    handler: async (o, { params, query }) => {
      const points = await o.tracking.metrics.sampled({ runId: params.runId, key: params.key, ...query });
      return { metrics: points.map(metricJson) };
    },
  }),
  endpoint({
    method: 'GET',
    url: '/runs/:runId/artifacts',
    summary: "List a directory of a run's artifacts",
    tags: ARTIFACTS,
    params: s.runIdParams,
    query: s.artifactListQuery,
    handler: async (o, { params, query }) => {
      await o.tracking.runs.get(params.runId);
      return { files: await o.tracking.artifacts.list(params.runId, query.path ?? '') };
    },
  }),
];
