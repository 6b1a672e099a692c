import { endpoint } from './endpoint.js';
import { artifactParams } from './schemas.js';

/** Artifact bytes: streamed both ways, never buffered; registered in a scope without body parsers. */
export const ARTIFACT_API = [
  endpoint({
    method: 'GET',
    url: '/runs/:runId/artifacts/*',
    summary: 'Download one artifact file',
    tags: ['artifacts'],
    params: artifactParams,
    handler: async (o, { params }, _req, reply) => {
      await o.tracking.runs.get(params.runId);
      const file = await o.tracking.artifacts.download(params.runId, params['*']);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', String(file.size))
        .header('etag', `"${file.digest}"`)
        .send(file.stream);
    },
  }),
  endpoint({
    method: 'PUT',
    url: '/runs/:runId/artifacts/*',
    summary: 'Upload one artifact file (raw body)',
    tags: ['artifacts'],
    params: artifactParams,
    rawBody: true,
    handler: async (o, { params }, request) => {
      await o.tracking.runs.get(params.runId);
      return o.tracking.artifacts.upload(params.runId, params['*'], request.raw);
    },
  }),
];
