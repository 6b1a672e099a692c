import { parseModelUri } from '../../registry/index.js';
import type { DeploymentSpec, NodeSpec } from '../deployment/index.js';

/** Resolves a `models:/` URI to the version it names now (the registry's resolve). */
export type ResolveVersion = (uri: string) => Promise<{ version: string | number }>;

/** A node whose model URI moves (an alias, a stage, `latest`), and the version it was pinned to. */
export interface ModelPin {
  node: string;
  uri: string;
  version: string;
}

// A `models:/` URI that does not name a fixed version: what it points at can change under us.
function moves(uri: string): boolean {
  if (!uri.startsWith('models:/')) return false;
  try {
    return !('version' in parseModelUri(uri));
  } catch {
    return false;
  }
}

function mapNodes(spec: DeploymentSpec, fix: (node: NodeSpec) => NodeSpec): DeploymentSpec {
  const walk = (node: NodeSpec): NodeSpec => {
    const out = fix({ ...node });
    if (node.children) out.children = node.children.map(walk);
    return out;
  };
  return {
    ...spec,
    ...(spec.graph ? { graph: walk(spec.graph) } : {}),
    ...(spec.variants ? { variants: spec.variants.map((v) => ({ ...v, graph: walk(v.graph) })) } : {}),
  };
}

/** The nodes of a spec whose model URI moves (aliases such as `models:/fraud@champion`). */
export function movingModels(spec: DeploymentSpec): { node: string; uri: string }[] {
  const found: { node: string; uri: string }[] = [];
  mapNodes(spec, (node) => {
    if (node.model !== undefined && moves(node.model)) found.push({ node: node.name, uri: node.model });
    return node;
  });
  return found;
}

/**
 * Resolves every moving model URI of `spec` now and returns a copy that names those exact versions
 * (`models:/fraud/3`), so the graph loaded is the one recorded: a later alias move cannot slip in
 * between resolving and loading.
 */
export async function pinModels(
  spec: DeploymentSpec,
  resolve: ResolveVersion,
): Promise<{ spec: DeploymentSpec; pins: ModelPin[] }> {
  const moving = movingModels(spec);
  const versions = new Map<string, string>();
  await Promise.all(
    [...new Set(moving.map((m) => m.uri))].map(async (uri) => {
      versions.set(uri, String((await resolve(uri)).version));
    }),
  );
  const pins = moving.map((m) => ({ ...m, version: versions.get(m.uri)! }));
  const pinned = mapNodes(spec, (node) => {
    const version = node.model === undefined ? undefined : versions.get(node.model);
    if (version === undefined) return node;
    const name = (parseModelUri(node.model!) as { name: string }).name;
    return { ...node, model: `models:/${encodeURIComponent(name)}/${version}` };
  });
  return { spec: pinned, pins };
}
