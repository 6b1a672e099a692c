import { z } from 'zod';
import { invalidArgument } from '../../errors/index.js';
import { validateDeploymentSpec } from '../../serving/deployment/index.js';
import { endpoint } from './endpoint.js';

const DEPLOYMENTS = ['deployments'];
const nameParams = z.object({ name: z.string().min(1) });
// The spec's own schema (serving/deployment) checks every field and names the bad ones.
const specBody = z.record(z.string(), z.unknown());

/** The native deployments API under /api/v1/deployments: the specs `osprey server` serves under `/v2/models/<name>`. */
export const DEPLOYMENT_API = [
  endpoint({
    method: 'PUT',
    url: '/deployments/:name',
    summary: 'Create or replace a deployment; answers once its graph is loaded and serving',
    tags: DEPLOYMENTS,
    params: nameParams,
    body: specBody,
    handler: async (o, { params, body }) => {
      if (body.name !== undefined && body.name !== params.name)
        throw invalidArgument(`the spec is named '${String(body.name)}' but the URL names '${params.name}'`);
      return o.deployments.apply(validateDeploymentSpec({ ...body, name: params.name }));
    },
  }),
  endpoint({
    method: 'GET',
    url: '/deployments',
    summary: 'List deployments with their status',
    tags: DEPLOYMENTS,
    handler: async (o) => ({ deployments: o.deployments.list() }),
  }),
  endpoint({
    method: 'GET',
    url: '/deployments/:name',
    summary: 'Get one deployment with its status',
    tags: DEPLOYMENTS,
    params: nameParams,
    handler: async (o, { params }) => o.deployments.status(params.name),
  }),
  endpoint({
    method: 'DELETE',
    url: '/deployments/:name',
    summary: 'Stop serving a deployment (after its in-flight requests finish)',
    tags: DEPLOYMENTS,
    params: nameParams,
    handler: async (o, { params }) => {
      await o.deployments.remove(params.name);
      return {};
    },
  }),
];
