import type { FastifyInstance, FastifyReply } from 'fastify';
import { isOspreyError } from '../../errors/index.js';
import type { Tracking } from '../../tracking/index.js';
import { MlflowInput } from './mlflow-input.js';
import { compact, fileInfoToWire } from './wire.js';

/** The proxy's own namespace, for paths that are not under a run's artifact URI. */
export const PROXY_ROOT = 'proxy';
/** MLflow mounts the artifact service under both its REST and its UI (ajax) prefix (handlers.py `_get_paths`). */
export const ARTIFACT_PREFIXES = ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts'] as const;
const RUN_PATH = /^(.+?)\/([0-9a-f]{32})\/artifacts(?:\/(.*))?$/;

/** The path of an `mlflow-artifacts:` URI (`mlflow-artifacts:/a/b` or `mlflow-artifacts://host:port/a/b`). */
function proxyPathOf(uri: string): string | undefined {
  return /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(uri)?.[1];
}

async function findRun(tracking: Tracking, runId: string) {
  try {
    return await tracking.runs.get(runId);
  } catch (error) {
    if (isOspreyError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Maps a proxy path (percent-decoded exactly once by the HTTP layer) to (root, path). A path under a run's
 * own artifact URI (`<experiment>/<run>/artifacts/...` by default) is that run's tree, as in MLflow's proxy
 * layout; anything else, including a run id under another experiment's id, lives in the proxy's namespace.
 */
export async function resolveProxyPath(
  tracking: Tracking,
  path: string,
): Promise<{ root: string; path: string }> {
  const match = RUN_PATH.exec(path);
  if (match) {
    const run = await findRun(tracking, match[2]!);
    if (run && proxyPathOf(run.info.artifactUri) === `${match[1]}/${match[2]}/artifacts`)
      return { root: run.info.runId, path: match[3] ?? '' };
  }
  return { root: PROXY_ROOT, path };
}

async function sendFile(tracking: Tracking, reply: FastifyReply, proxyPath: string) {
  const { root, path } = await resolveProxyPath(tracking, proxyPath);
  const file = await tracking.artifacts.download(root, path);
  return reply
    .header('content-type', 'application/octet-stream')
    .header('content-length', String(file.size))
    .header('etag', `"${file.digest}"`)
    .send(file.stream);
}

/**
 * The MLflow artifact proxy (mlflow/protos/mlflow_artifacts.proto): `mlflow-artifacts:/` URIs resolve here.
 * Bodies are streamed straight into the blob store, never buffered.
 */
export async function artifactProxyRoutes(app: FastifyInstance, { tracking }: { tracking: Tracking }) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  for (const prefix of ARTIFACT_PREFIXES) {
    app.get(`${prefix}/artifacts`, async (request) => {
      const input = MlflowInput.from(request.query);
      const listed = input.optionalString('path') ?? '';
      const { root, path } = await resolveProxyPath(tracking, listed);
      const files = await tracking.artifacts.list(root, path);
      return compact({ files: files.map((f) => fileInfoToWire(f, path)) });
    });
    app.get<{ Params: { '*': string } }>(`${prefix}/artifacts/*`, (request, reply) =>
      sendFile(tracking, reply, request.params['*']),
    );
    app.put<{ Params: { '*': string } }>(`${prefix}/artifacts/*`, async (request) => {
      const { root, path } = await resolveProxyPath(tracking, request.params['*']);
      await tracking.artifacts.upload(root, path, request.raw);
      return {};
    });
    app.delete<{ Params: { '*': string } }>(`${prefix}/artifacts/*`, async (request) => {
      const { root, path } = await resolveProxyPath(tracking, request.params['*']);
      await tracking.artifacts.remove(root, path);
      return {};
    });
  }
  // Used by MLflow's UI: GET /get-artifact?path=&run_uuid=
  for (const prefix of ['', '/ajax-api/2.0/mlflow']) {
    app.get(`${prefix}/get-artifact`, async (request, reply) => {
      const input = MlflowInput.from(request.query);
      const run = await tracking.runs.get(input.string('run_uuid', 'run_id'));
      const file = await tracking.artifacts.download(run.info.runId, input.string('path'));
      return reply.header('content-type', 'application/octet-stream').send(file.stream);
    });
  }
}
