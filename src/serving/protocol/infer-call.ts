import { invalidArgument, OspreyError } from '../../errors/index.js';
import type { NamedTensors } from '../../models/index.js';
import type { InferenceRequest, InferenceResponse, InferenceServer, ModelEndpoint } from '../types.js';

/** The endpoint for `name` (and `version`); NOT_FOUND from the server when there is none. */
export function findEndpoint(server: InferenceServer, name: string, version?: string): ModelEndpoint {
  return server.endpoint(name, version === '' ? undefined : version);
}

/**
 * The endpoint a single-model protocol (MLflow, Seldon v1) serves: the one named by the request
 * (`?model=`), else the configured default, else the only endpoint the server has.
 */
export function pickEndpoint(
  server: InferenceServer,
  requested: string | undefined,
  defaultModel: string | undefined,
): ModelEndpoint {
  const name = requested || defaultModel;
  if (name) return server.endpoint(name);
  const all = server.endpoints();
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new OspreyError('UNAVAILABLE', 'no model is being served');
  throw invalidArgument(
    `this server serves ${all.length} models (${all.map((e) => e.name).join(', ')}): choose one with ?model=<name>`,
  );
}

/** UNAVAILABLE unless the endpoint is ready. */
export function assertReady(endpoint: ModelEndpoint): void {
  if (!endpoint.ready()) throw new OspreyError('UNAVAILABLE', `model '${endpoint.name}' is not ready`);
}

/** INVALID_ARGUMENT for a requested output the endpoint's signature does not list (when it lists any). */
export function checkRequestedOutputs(
  endpoint: ModelEndpoint,
  requested: readonly string[] | undefined,
): void {
  const known = endpoint.signature.outputs.map((s) => s.name);
  if (!requested || known.length === 0) return;
  const unknown = requested.find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw invalidArgument(
      `unknown output '${unknown}' (model '${endpoint.name}' returns: ${known.join(', ')})`,
    );
  }
}

/** Runs one request on a ready endpoint after checking the requested outputs. */
export async function runInference(
  endpoint: ModelEndpoint,
  request: InferenceRequest,
  signal?: AbortSignal,
): Promise<InferenceResponse> {
  assertReady(endpoint);
  checkRequestedOutputs(endpoint, request.outputs);
  return endpoint.infer(request, signal ? { signal } : {});
}

/** The response outputs the client asked for, in the order asked (all, in model order, when none). */
export function selectOutputs(outputs: NamedTensors, requested: readonly string[] | undefined): NamedTensors {
  if (!requested) return outputs;
  const out: NamedTensors = {};
  for (const name of requested) {
    const tensor = outputs[name];
    if (!tensor) throw invalidArgument(`the model returned no output '${name}'`);
    out[name] = tensor;
  }
  return out;
}
