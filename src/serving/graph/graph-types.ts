import type { NamedTensors, Signature } from '../../models/index.js';
import type { NodeSpec } from '../deployment/index.js';
import type { JsonValue } from '../types.js';

/** What a node's code sees of the request it serves. */
export interface NodeCallContext {
  requestId: string;
  parameters?: Record<string, JsonValue> | undefined;
  headers?: Record<string, string> | undefined;
  /** Aborted when the request times out or the client leaves. */
  signal: AbortSignal;
}

/** Feedback as one node receives it (Seldon `send_feedback`). */
export interface NodeFeedback {
  requestId: string;
  reward?: number | undefined;
  truth?: NamedTensors | undefined;
  /** The child this node routed the request to, when it routed. */
  route?: number | undefined;
}

/**
 * The code behind one node: a loaded model or transformer package, a JS module, a remote model.
 * The engine calls what the node's type needs (Seldon v1 methods): `predict` for models,
 * `transformInput ?? predict` for transformers, `transformOutput ?? predict` for output transformers,
 * `route` for routers, `aggregate` for combiners; `sendFeedback` on every node feedback passes.
 */
export interface NodeComponent {
  readonly signature?: Signature | undefined;
  /** The model version served, when known (e.g. the version an alias pointed at). */
  readonly version?: string | undefined;
  predict?(inputs: NamedTensors, context: NodeCallContext): NamedTensors | Promise<NamedTensors>;
  transformInput?(inputs: NamedTensors, context: NodeCallContext): NamedTensors | Promise<NamedTensors>;
  transformOutput?(outputs: NamedTensors, context: NodeCallContext): NamedTensors | Promise<NamedTensors>;
  /** A child index, -1 for every child or -2 to stop here (Seldon v1 route semantics). */
  route?(inputs: NamedTensors, context: NodeCallContext): number | Promise<number>;
  aggregate?(outputs: NamedTensors[], context: NodeCallContext): NamedTensors | Promise<NamedTensors>;
  sendFeedback?(feedback: NodeFeedback): void | Promise<void>;
  /** False while the component cannot serve (e.g. its model was unloaded). */
  ready?(): boolean;
  unload?(): void | Promise<void>;
}

/** Identifies the deployment a node is loaded for. */
export interface NodeLoadContext {
  deployment: string;
}

/**
 * Loads the code of nodes that name a model, a module or a URL (built-in routers and combiners need
 * none). {@link createNodeFactory} is the real one; tests plug their own components.
 */
export interface NodeFactory {
  load(node: NodeSpec, context: NodeLoadContext): Promise<NodeComponent>;
}
