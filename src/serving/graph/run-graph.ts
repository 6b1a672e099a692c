import { notFound, OspreyError } from '../../errors/index.js';
import type { NamedTensors } from '../../models/index.js';
import type { JsonValue } from '../types.js';
import { conditionHolds } from './conditions.js';
import type { NodeCallContext } from './graph-types.js';
import type { GraphNode } from './load-graph.js';

/** One request on its way through the graph; `routing` collects each router's choice. */
export interface RunState extends NodeCallContext {
  routing: Record<string, number>;
}

/** The error a node's failure becomes: its code kept, the node and step named, attributed once. */
export function nodeError(node: string, stage: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted && error === signal.reason) return error;
  if (error instanceof OspreyError && error.details?.node !== undefined) return error;
  const code = error instanceof OspreyError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  return new OspreyError(code, `node '${node}' (${stage}) failed: ${message}`, { node });
}

async function step<T>(node: GraphNode, stage: string, state: RunState, fn: () => Promise<T>): Promise<T> {
  state.signal.throwIfAborted();
  try {
    return await fn();
  } catch (error) {
    throw nodeError(node.name, stage, error, state.signal);
  }
}

const subject = (inputs: NamedTensors, state: RunState) => ({
  inputs,
  parameters: state.parameters as Record<string, JsonValue> | undefined,
  headers: state.headers,
});

/**
 * Runs one node with Seldon Core v1 semantics (SC1 `predictor_process.go`): transform input →
 * route → children → aggregate → transform output. Route -1 sends to every child at once, -2 stops
 * and returns the message, N sends to child N; without a combiner the first child's answer wins.
 * KServe router types run their steps instead (`runSteps`).
 */
export async function runNode(node: GraphNode, inputs: NamedTensors, state: RunState): Promise<NamedTensors> {
  let msg = inputs;
  if (node.transformInput) msg = await step(node, 'predict', state, () => node.transformInput!(msg, state));
  if (node.children.length > 0) msg = await runChildren(node, msg, state);
  if (node.transformOutput)
    msg = await step(node, 'transform-output', state, () => node.transformOutput!(msg, state));
  return msg;
}

async function runChildren(node: GraphNode, msg: NamedTensors, state: RunState): Promise<NamedTensors> {
  const kind = node.spec.router?.type;
  if (kind === 'Sequence') return runSequence(node, msg, state);
  if (kind === 'Ensemble') return runEnsemble(node, msg, state);
  if (kind === 'Switch') {
    // KServe Switch: the first step whose condition matches the input runs; none matching is a 404.
    const at = node.children.findIndex(
      (c) => !c.spec.condition || conditionHolds(c.spec.condition, subject(msg, state)),
    );
    if (at < 0) throw notFound(`no step of Switch '${node.name}' matches the request`);
    state.routing[node.name] = at;
    return runNode(node.children[at]!, msg, state);
  }
  let route = -1;
  if (node.chooser || node.route) {
    route = await step(node, 'route', state, async () =>
      node.chooser ? node.chooser.choose() : node.route!(msg, state),
    );
    if (!Number.isInteger(route) || route < -2 || route >= node.children.length) {
      throw new OspreyError(
        'INTERNAL',
        `router '${node.name}' chose ${route}, but valid routes are -2 (stop), -1 (all) and 0..${node.children.length - 1}`,
        { node: node.name },
      );
    }
    state.routing[node.name] = route;
  }
  if (route === -2) return msg;
  const targets = route === -1 ? node.children : [node.children[route]!];
  const outputs = await Promise.all(targets.map((child) => runNode(child, msg, state)));
  if (!node.aggregate) return outputs[0]!;
  return step(node, 'aggregate', state, () => node.aggregate!(outputs, state));
}

/**
 * KServe Sequence: steps in order; a step gets the previous step's response when its `data` is
 * `$response`, else the original request; a step whose condition fails on the message so far ends
 * the sequence with that message. A failing hard step fails the request; a soft one is skipped.
 * routing records the last step that ran (-2 when none did).
 */
async function runSequence(node: GraphNode, request: NamedTensors, state: RunState): Promise<NamedTensors> {
  let previous = request;
  let last = -2;
  for (const [i, child] of node.children.entries()) {
    const { condition, data, dependency } = child.spec;
    if (condition && !conditionHolds(condition, subject(previous, state))) break;
    try {
      previous = await runNode(child, i > 0 && data === '$response' ? previous : request, state);
      last = i;
    } catch (error) {
      if (dependency !== 'soft' || state.signal.aborted) throw error;
    }
  }
  state.routing[node.name] = last;
  return previous;
}

/**
 * KServe Ensemble: every step at once; the answer holds each step's outputs as `<step>.<output>`.
 * A failing hard step fails the request; failing soft steps are left out (all failing fails it).
 */
async function runEnsemble(node: GraphNode, msg: NamedTensors, state: RunState): Promise<NamedTensors> {
  const results = await Promise.allSettled(node.children.map((child) => runNode(child, msg, state)));
  const hard = results.findIndex(
    (r, i) => r.status === 'rejected' && node.children[i]!.spec.dependency !== 'soft',
  );
  if (hard >= 0) throw (results[hard] as PromiseRejectedResult).reason;
  const out: NamedTensors = {};
  results.forEach((r, i) => {
    if (r.status !== 'fulfilled') return;
    for (const [name, tensor] of Object.entries(r.value)) out[`${node.children[i]!.name}.${name}`] = tensor;
  });
  if (Object.keys(out).length === 0 && results.every((r) => r.status === 'rejected')) {
    throw (results[0] as PromiseRejectedResult).reason;
  }
  state.routing[node.name] = -1;
  return out;
}
