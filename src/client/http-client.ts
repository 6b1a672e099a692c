import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ERROR_CODES, type ErrorCode, OspreyError } from '../errors/index.js';
import type { Metric, Run } from '../tracking/index.js';
import type { OspreyClient, UploadSource } from './tracking-client.js';

type Query = Record<string, string | number | string[] | undefined>;

/** Numbers that JSON cannot carry arrive as strings ("NaN", "Infinity"); turn them back into numbers. */
const reviveMetric = (m: Metric): Metric => ({ ...m, value: Number(m.value) });
const reviveRun = (run: Run): Run => ({
  ...run,
  data: { ...run.data, metrics: run.data.metrics.map(reviveMetric) },
});
const jsonMetric = (m: Metric) => ({ ...m, value: Number.isFinite(m.value) ? m.value : String(m.value) });

/** The tracking client over HTTP against an Osprey server's native API (`/api/v1`). */
export function createHttpClient(
  baseUrl: string,
  { headers = {} as Record<string, string> } = {},
): OspreyClient {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1`;

  async function call<T>(
    method: string,
    path: string,
    { body, query }: { body?: unknown; query?: Query } = {},
  ): Promise<T> {
    const response = await fetch(urlOf(path, query), {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return parse<T>(response);
  }

  function urlOf(path: string, query: Query = {}): string {
    const url = new URL(`${root}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    return url.toString();
  }

  const enc = encodeURIComponent;
  const artifactUrl = (runId: string, path: string) =>
    `/runs/${enc(runId)}/artifacts/${path.split('/').map(enc).join('/')}`;

  return {
    createExperiment: async (input) =>
      (await call<{ experimentId: string }>('POST', '/experiments', { body: input })).experimentId,
    getExperiment: (id) => call('GET', `/experiments/${enc(id)}`),
    getExperimentByName: (name) => call('GET', `/experiments/by-name/${enc(name)}`),
    searchExperiments: async (input = {}) => {
      const page = await call<{ experiments: never[]; nextPageToken?: string }>('GET', '/experiments', {
        query: { ...input },
      });
      return { items: page.experiments, nextPageToken: page.nextPageToken };
    },
    renameExperiment: async (id, name) =>
      void (await call('PATCH', `/experiments/${enc(id)}`, { body: { name } })),
    deleteExperiment: async (id) => void (await call('DELETE', `/experiments/${enc(id)}`)),
    restoreExperiment: async (id) => void (await call('POST', `/experiments/${enc(id)}/restore`)),
    setExperimentTag: async (id, key, value) =>
      void (await call('PUT', `/experiments/${enc(id)}/tags/${enc(key)}`, { body: { value } })),
    createRun: async (input) => reviveRun(await call('POST', '/runs', { body: input })),
    getRun: async (runId) => reviveRun(await call('GET', `/runs/${enc(runId)}`)),
    updateRun: (runId, input) => call('PATCH', `/runs/${enc(runId)}`, { body: input }),
    deleteRun: async (runId) => void (await call('DELETE', `/runs/${enc(runId)}`)),
    restoreRun: async (runId) => void (await call('POST', `/runs/${enc(runId)}/restore`)),
    searchRuns: async (input) => {
      const page = await call<{ runs: Run[]; nextPageToken?: string }>('POST', '/runs/search', {
        body: input,
      });
      return { items: page.runs.map(reviveRun), nextPageToken: page.nextPageToken };
    },
    logBatch: async (runId, batch) =>
      void (await call('POST', `/runs/${enc(runId)}/batch`, {
        body: { ...batch, metrics: batch.metrics?.map(jsonMetric) },
      })),
    logInputs: async (runId, datasetInputs) =>
      void (await call('POST', `/runs/${enc(runId)}/inputs`, { body: { datasetInputs } })),
    setTag: async (runId, key, value) =>
      void (await call('PUT', `/runs/${enc(runId)}/tags/${enc(key)}`, { body: { value } })),
    deleteTag: async (runId, key) => void (await call('DELETE', `/runs/${enc(runId)}/tags/${enc(key)}`)),
    getMetricHistory: async (runId, key) =>
      (
        await call<{ metrics: Metric[] }>('GET', `/runs/${enc(runId)}/metrics/${enc(key)}/history`)
      ).metrics.map(reviveMetric),
    getSampledMetric: async ({ runId, key, ...query }) =>
      (
        await call<{ metrics: Metric[] }>('GET', `/runs/${enc(runId)}/metrics/${enc(key)}/sampled`, { query })
      ).metrics.map(reviveMetric),
    listArtifacts: async (runId, path) =>
      (await call<{ files: never[] }>('GET', `/runs/${enc(runId)}/artifacts`, { query: { path } })).files,
    uploadArtifact: async (runId, path, source) => {
      const body = uploadBody(source);
      const response = await fetch(urlOf(artifactUrl(runId, path)), {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body,
        duplex: 'half',
      } as RequestInit);
      return parse(response);
    },
    downloadArtifact: async (runId, path) => {
      const response = await fetch(urlOf(artifactUrl(runId, path)), { headers });
      if (!response.ok || !response.body) await parse(response);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },
    createRegisteredModel: (input) => call('POST', '/models', { body: input }),
    getRegisteredModel: (name) => call('GET', `/models/${enc(name)}`),
    searchRegisteredModels: async (input = {}) => {
      const page = await call<{ models: never[]; nextPageToken?: string }>('GET', '/models', {
        query: { ...input },
      });
      return { items: page.models, nextPageToken: page.nextPageToken };
    },
    renameRegisteredModel: (name, newName) => call('PATCH', `/models/${enc(name)}`, { body: { newName } }),
    deleteRegisteredModel: async (name) => void (await call('DELETE', `/models/${enc(name)}`)),
    createModelVersion: ({ name, ...body }) => call('POST', `/models/${enc(name)}/versions`, { body }),
    getModelVersion: (name, version) => call('GET', `/models/${enc(name)}/versions/${enc(version)}`),
    searchModelVersions: async (input = {}) => {
      const page = await call<{ versions: never[]; nextPageToken?: string }>('GET', '/model-versions', {
        query: { ...input },
      });
      return { items: page.versions, nextPageToken: page.nextPageToken };
    },
    deleteModelVersion: async (name, version) =>
      void (await call('DELETE', `/models/${enc(name)}/versions/${enc(version)}`)),
    transitionModelVersionStage: (name, version, stage, archiveExistingVersions = false) =>
      call('PATCH', `/models/${enc(name)}/versions/${enc(version)}`, {
        body: { stage, archiveExistingVersions },
      }),
    setModelAlias: (name, alias, version) =>
      call('PUT', `/models/${enc(name)}/aliases/${enc(alias)}`, { body: { version } }),
    deleteModelAlias: async (name, alias) =>
      void (await call('DELETE', `/models/${enc(name)}/aliases/${enc(alias)}`)),
    resolveModel: (uri) => call('GET', '/models/resolve', { query: { uri } }),
    getModelVersionLineage: (name, version) =>
      call('GET', `/models/${enc(name)}/versions/${enc(version)}/lineage`),
    close: async () => {},
  };
}

function uploadBody(source: UploadSource): RequestInit['body'] {
  if (source instanceof Uint8Array) return source;
  const stream =
    'file' in source && typeof source.file === 'string'
      ? createReadStream(source.file)
      : (source as Readable);
  return Readable.toWeb(stream) as unknown as RequestInit['body'];
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : {};
  if (response.ok) return body as T;
  const error = body as { code?: string; message?: string };
  const code = (ERROR_CODES as readonly string[]).includes(error.code ?? '')
    ? (error.code as ErrorCode)
    : 'INTERNAL';
  throw new OspreyError(code, error.message ?? `HTTP ${response.status}`);
}
