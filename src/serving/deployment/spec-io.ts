import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Document, isScalar, isSeq, parse, visit } from 'yaml';
import type { z } from 'zod';
import { invalidArgument, notFound } from '../../errors/index.js';
import { checkDeploymentRules, type SpecIssue } from './spec-rules.js';
import { DeploymentSchema, type DeploymentSpec, type NodeSpec } from './spec-schema.js';

const where = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length > 0 ? `${where(i.path)}: ${i.message}` : i.message)).join('; ');
}

/**
 * Validates a deployment spec given as an object (parsed YAML or built in code) and fills its
 * defaults. INVALID_ARGUMENT naming every bad field (`graph.children[1].router.epsilon: …`).
 */
export function validateDeploymentSpec(raw: unknown, source = 'deployment spec'): DeploymentSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidArgument(`${source} must be a mapping with name and graph (or variants)`);
  }
  const result = DeploymentSchema.safeParse(raw);
  if (!result.success) {
    throw invalidArgument(`invalid ${source}: ${describeIssues((result.error as z.ZodError).issues)}`);
  }
  const spec = result.data as DeploymentSpec;
  const issues: SpecIssue[] = checkDeploymentRules(spec);
  if (issues.length > 0) throw invalidArgument(`invalid ${source}: ${describeIssues(issues)}`);
  return spec;
}

/** Parses and validates deployment YAML (or JSON, which is YAML). */
export function parseDeploymentSpec(text: string, source = 'deployment spec'): DeploymentSpec {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw invalidArgument(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  return validateDeploymentSpec(raw, source);
}

/**
 * Reads a deployment file; relative model paths and module paths in it are made absolute against
 * the file's directory (as docker-compose resolves paths), so the spec means the same from any cwd.
 */
export async function loadDeploymentSpec(path: string): Promise<DeploymentSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw notFound(`deployment spec not found: ${path}`);
  }
  return resolveSpecPaths(parseDeploymentSpec(text, path), dirname(resolve(path)));
}

const hasScheme = (value: string) => /^[a-zA-Z][\w+.-]+:/.test(value) && !isAbsolute(value);
const absolute = (value: string | undefined, baseDir: string) =>
  value === undefined || hasScheme(value) || isAbsolute(value) ? value : resolve(baseDir, value);

/** A copy of the spec whose relative `model`, `module` and explainer background paths are resolved against `baseDir`. */
export function resolveSpecPaths(spec: DeploymentSpec, baseDir: string): DeploymentSpec {
  const fix = (node: NodeSpec): NodeSpec => {
    const out: NodeSpec = { ...node };
    if (node.model !== undefined) out.model = absolute(node.model, baseDir);
    if (node.module !== undefined) out.module = absolute(node.module, baseDir);
    if (node.children) out.children = node.children.map(fix);
    return out;
  };
  return {
    ...spec,
    ...(spec.graph ? { graph: fix(spec.graph) } : {}),
    ...(spec.variants ? { variants: spec.variants.map((v) => ({ ...v, graph: fix(v.graph) })) } : {}),
    ...(spec.explainer
      ? { explainer: { ...spec.explainer, background: absolute(spec.explainer.background, baseDir)! } }
      : {}),
  };
}

const NODE_KEYS: (keyof NodeSpec)[] = [
  'name',
  'type',
  'model',
  'module',
  'export',
  'url',
  'router',
  'combiner',
  'parameters',
  'condition',
  'data',
  'dependency',
  'weight',
  'batching',
  'workers',
  'threads',
  'children',
];

function orderNode(node: NodeSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of NODE_KEYS) {
    if (node[key] === undefined) continue;
    out[key] = key === 'children' ? node.children!.map(orderNode) : node[key];
  }
  return out;
}

/** The spec as YAML: keys in a fixed order (identity, limits, graph, variants, traffic). */
export function formatDeploymentSpec(spec: DeploymentSpec): string {
  const ordered = {
    name: spec.name,
    version: spec.version,
    timeoutMs: spec.timeoutMs,
    payloadLogging: spec.payloadLogging,
    graph: spec.graph ? orderNode(spec.graph) : undefined,
    variants: spec.variants?.map((v) => ({ name: v.name, graph: orderNode(v.graph) })),
    traffic: spec.traffic,
    explainer: spec.explainer,
  };
  const doc = new Document(JSON.parse(JSON.stringify(ordered)) as unknown);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FLOW_KEYS.has(String(pair.key.value)) && isSeq(pair.value))
        pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

const FLOW_KEYS = new Set(['arms', 'value']);
