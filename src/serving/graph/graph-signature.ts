import type { Signature, TensorSpec } from '../../models/index.js';
import type { GraphNode } from './load-graph.js';

function inputsOf(node: GraphNode): TensorSpec[] {
  const own = node.component?.signature;
  if (node.transformInput && own) return own.inputs;
  return node.children[0] ? inputsOf(node.children[0]) : [];
}

function outputsOf(node: GraphNode): TensorSpec[] {
  const own = node.component?.signature;
  if (node.transformOutput) return own?.outputs ?? [];
  if (node.children.length === 0) return node.transformInput ? (own?.outputs ?? []) : [];
  const kind = node.spec.router?.type;
  if (kind === 'Ensemble') {
    return node.children.flatMap((c) => outputsOf(c).map((t) => ({ ...t, name: `${c.name}.${t.name}` })));
  }
  if (node.aggregate && node.component) return own?.outputs ?? [];
  return outputsOf(kind === 'Sequence' ? node.children.at(-1)! : node.children[0]!);
}

/**
 * The graph's signature as far as its nodes declare one: the inputs of the first node that reads
 * the request, the outputs of what answers last along the first route (empty where code is opaque).
 */
export function graphSignature(root: GraphNode): Signature {
  return { inputs: inputsOf(root), outputs: outputsOf(root) };
}
