import type { NamedTensors } from '../../models/index.js';
import type { GraphNode } from './load-graph.js';
import { nodeError } from './run-graph.js';

/** Feedback after validation: a reward in [0, 1] per row, over `trials` rows. */
export interface GraphFeedback {
  requestId: string;
  reward?: number | undefined;
  truth?: NamedTensors | undefined;
  trials: number;
}

// The children the request went through at this node, from the routing it recorded.
function visited(node: GraphNode, route: number | undefined): GraphNode[] {
  if (route === undefined || route === -1) return node.children;
  if (route === -2) return [];
  if (node.spec.router?.type === 'Sequence') return node.children.slice(0, route + 1);
  if (node.spec.router?.type === 'Ensemble') return node.children;
  return node.children[route] ? [node.children[route]!] : [];
}

/**
 * Walks the path a request took (Seldon v1 feedback, SC1 `RouteFromFeedbackJsonMeta`): each node on
 * it gets `sendFeedback`, a bandit credits the reward to the child it chose, and the walk follows
 * `routing[node]` (absent or -1 = every child). Without a recorded route, bandits learn nothing.
 */
export async function propagateFeedback(
  node: GraphNode,
  feedback: GraphFeedback,
  routing: Readonly<Record<string, number>>,
  signal: AbortSignal,
): Promise<void> {
  const route = routing[node.name];
  const own = async () => {
    try {
      await node.component?.sendFeedback?.({
        requestId: feedback.requestId,
        reward: feedback.reward,
        truth: feedback.truth,
        route,
      });
      if (node.chooser?.credit && route !== undefined && route >= 0 && feedback.reward !== undefined) {
        await node.chooser.credit(route, feedback.reward * feedback.trials, feedback.trials);
      }
    } catch (error) {
      throw nodeError(node.name, 'feedback', error, signal);
    }
  };
  await Promise.all([
    own(),
    ...visited(node, route).map((child) => propagateFeedback(child, feedback, routing, signal)),
  ]);
}
