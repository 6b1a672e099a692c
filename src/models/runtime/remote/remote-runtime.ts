import { randomUUID } from 'node:crypto';
import { invalidArgument, notFound, OspreyError } from '../../../errors/index.js';
import type { ModelPackage, RemoteFlavorConfig } from '../../package/index.js';
import { fromOipTensors, signatureFromOipMetadata, toOipTensors } from '../oip-json.js';
import type { ModelRuntime, PredictorOptions, RuntimeFactory } from '../predictor.js';
import { checkSignatureAgainstModel } from '../signature-check.js';

/** `{url}/v2/models/{model}[/versions/{version}]` (OIP REST, `inference_rest.md`). */
export function oipModelUrl({ url, model, version }: RemoteFlavorConfig): string {
  const base = `${url.replace(/\/+$/, '')}/v2/models/${encodeURIComponent(model)}`;
  return version === undefined ? base : `${base}/versions/${encodeURIComponent(version)}`;
}

/**
 * `remote` flavor: any server speaking the Open Inference Protocol REST API. load() reads the model
 * metadata (and checks the manifest signature against it); predict() posts to `…/infer`. Server
 * errors map to OspreyError: 400 → INVALID_ARGUMENT, 404 → NOT_FOUND, 5xx or no answer → UNAVAILABLE,
 * timeout → DEADLINE_EXCEEDED, each carrying the server's `{"error"}` message.
 */
export function createRemoteRuntime(pkg: ModelPackage, options: PredictorOptions): ModelRuntime {
  if (pkg.manifest.flavor !== 'remote')
    throw invalidArgument(`package flavor is ${pkg.manifest.flavor}, not remote`);
  const config = pkg.manifest.remote;
  const base = oipModelUrl(config);
  const fetchImpl = options.remote?.fetch ?? fetch;
  const timeoutMs = options.remote?.timeoutMs ?? 30_000;
  const headers = { accept: 'application/json', ...options.remote?.headers };
  let outputNames: string[] | undefined;

  async function call(path: string, init: RequestInit = {}): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        ...init,
        headers: { ...headers, ...(init.body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new OspreyError('DEADLINE_EXCEEDED', `${base}${path} did not answer within ${timeoutMs} ms`);
      }
      throw new OspreyError('UNAVAILABLE', `cannot reach ${base}${path}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) {
      if (body === undefined)
        throw new OspreyError('UNAVAILABLE', `${base}${path} answered without a JSON body`);
      return body;
    }
    const message = `${config.model} at ${config.url}: ${(body as { error?: string } | undefined)?.error ?? (text.slice(0, 200) || response.statusText)}`;
    if (response.status === 404) throw notFound(message);
    if (response.status >= 400 && response.status < 500) throw invalidArgument(message);
    throw new OspreyError('UNAVAILABLE', message);
  }

  return {
    async load(declared) {
      const model = signatureFromOipMetadata(await call(''));
      if (declared && model) checkSignatureAgainstModel(declared, model, `remote model ${config.model}`);
      const outputs = (declared ?? model)?.outputs ?? [];
      outputNames = outputs.length > 0 ? outputs.map((o) => o.name) : undefined;
      return model;
    },
    async predict(inputs) {
      const request = {
        id: randomUUID(),
        inputs: toOipTensors(inputs),
        ...(outputNames ? { outputs: outputNames.map((name) => ({ name })) } : {}),
      };
      const body = (await call('/infer', { method: 'POST', body: JSON.stringify(request) })) as {
        outputs?: unknown;
      };
      try {
        return fromOipTensors(body.outputs, 'outputs');
      } catch (error) {
        throw new OspreyError(
          'UNAVAILABLE',
          `${config.url} sent a malformed response: ${(error as Error).message}`,
        );
      }
    },
    async unload() {
      outputNames = undefined;
    },
  };
}

createRemoteRuntime satisfies RuntimeFactory;
