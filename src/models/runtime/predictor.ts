import type { Flavor, ModelPackage, Signature, Tensor } from '../package/index.js';

/** Named tensors in or out of a model. */
export type NamedTensors = Record<string, Tensor>;

/**
 * A loaded model behind one interface, whatever its flavor. `predict` checks its inputs against the
 * signature (INVALID_ARGUMENT naming the input and what was expected) before the runtime sees them.
 */
export interface Predictor {
  readonly flavor: Flavor;
  readonly package: ModelPackage;
  /** The manifest's signature, or (after load) the one read from the model itself. */
  readonly signature: Signature | undefined;
  readonly loaded: boolean;
  /** Loads the model (starts workers, opens sessions, checks the remote server). Idempotent. */
  load(): Promise<void>;
  /** Runs the model on named input tensors; returns named output tensors in canonical form. */
  predict(inputs: NamedTensors): Promise<NamedTensors>;
  /** Releases everything load() acquired. Idempotent; pending predictions fail with UNAVAILABLE. */
  unload(): Promise<void>;
}

/** What one flavor implements; the predictor wraps it with signature checks and lifecycle. */
export interface ModelRuntime {
  /**
   * Loads the model and checks the manifest's signature (when there is one) against what the model
   * declares; returns the model's own signature, used when the manifest has none.
   */
  load(declared: Signature | undefined): Promise<Signature | undefined>;
  /** Receives inputs already checked and in canonical form. */
  predict(inputs: NamedTensors, signature: Signature | undefined): Promise<NamedTensors>;
  unload(): Promise<void>;
}

/** Settings of the ONNX runtime's worker pool and sessions. */
export interface OnnxRuntimeOptions {
  /** Worker threads, each holding its own session (default 1). */
  workers?: number;
  /** ORT intra-op threads per session (default 1: workers, not ORT threads, give parallelism). */
  intraOpNumThreads?: number;
  /** ORT inter-op threads per session (default 1). */
  interOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

/** Settings of the remote (Open Inference Protocol) runtime. */
export interface RemoteRuntimeOptions {
  /** fetch implementation (default the global one). */
  fetch?: typeof fetch;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
}

/** Options for createPredictor; each flavor reads its own section. */
export interface PredictorOptions {
  onnx?: OnnxRuntimeOptions;
  remote?: RemoteRuntimeOptions;
  /** Runtimes to use instead of (or besides) the built-in ones, by flavor. */
  runtimes?: Partial<Record<Flavor, RuntimeFactory>>;
}

/** Builds the runtime of one flavor for a package. */
export type RuntimeFactory = (pkg: ModelPackage, options: PredictorOptions) => ModelRuntime;
