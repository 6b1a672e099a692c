import type { NamedTensors, Signature } from '../models/index.js';

/** A JSON value, for request and response parameters. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One inference request, whatever protocol it arrived on (OIP REST or gRPC, MLflow, Seldon, KServe V1). */
export interface InferenceRequest {
  /** The request id: from the client (OIP `id`, `x-request-id`) or generated. Payload logs and feedback key on it. */
  id: string;
  inputs: NamedTensors;
  /** Names of the outputs the client wants (all when absent). */
  outputs?: string[];
  parameters?: Record<string, JsonValue>;
  /** Lower-cased request headers the serving layers may read (e.g. `x-osprey-no-log`, routing hints). */
  headers?: Record<string, string>;
}

/** The answer to one request. */
export interface InferenceResponse {
  id: string;
  modelName: string;
  modelVersion?: string;
  outputs: NamedTensors;
  parameters?: Record<string, JsonValue>;
  /**
   * The route the request took through an inference graph: node name → chosen child index (Seldon's
   * `meta.routing`), so feedback reaches the branch that served it.
   */
  routing?: Record<string, number>;
}

/** Per-call options every layer passes down. */
export interface InferOptions {
  /** Aborted when the client goes away or the per-request timeout fires. */
  signal?: AbortSignal;
}

/** Ground truth or a reward for an earlier request (Seldon `/feedback`, delayed labels). */
export interface Feedback {
  requestId: string;
  /** The routing the original response carried (so bandits credit the arm that served). */
  routing?: Record<string, number>;
  /** A scalar reward (bandits), when given. */
  reward?: number;
  /** The true outputs (delayed labels), when given. */
  truth?: NamedTensors;
}

/** Something that can be served under a model name: a single model or a whole inference graph (deployment). */
export interface ModelEndpoint {
  readonly name: string;
  readonly version?: string;
  /** OIP `platform` (e.g. `onnx`, `osprey-graph`). */
  readonly platform: string;
  readonly signature: Signature;
  /** True once every model behind the endpoint is loaded. */
  ready(): boolean;
  infer(request: InferenceRequest, options?: InferOptions): Promise<InferenceResponse>;
  feedback?(feedback: Feedback): Promise<void>;
}

/** What a protocol layer serves: the server's identity, health, and its endpoints by name. */
export interface InferenceServer {
  metadata(): { name: string; version: string; extensions: string[] };
  live(): boolean;
  ready(): boolean;
  /** The endpoint serving `name` (and `version`, when given); OspreyError NOT_FOUND otherwise. */
  endpoint(name: string, version?: string): ModelEndpoint;
  endpoints(): ModelEndpoint[];
}
