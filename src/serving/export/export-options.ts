import { invalidArgument } from '../../errors/index.js';
import type { DeploymentSpec, NodeSpec } from '../deployment/index.js';

/** Where the manifests are meant to run. */
export const EXPORT_TARGETS = ['k8s', 'kserve'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** What `exportManifests` needs beyond the deployment spec; every field but `target` has a default. */
export interface ExportOptions {
  target: ExportTarget;
  /** Container image running the `osprey` CLI. */
  image?: string;
  namespace?: string;
  /** Replicas the autoscaler keeps at least / at most; equal values mean a fixed count and no HPA. */
  minReplicas?: number;
  maxReplicas?: number;
  /** Average CPU utilisation (% of the request) the HPA aims for. */
  cpuTargetPercent?: number;
  /** Kubernetes quantities: CPU request, memory request and limit. */
  cpu?: string;
  memory?: string;
  memoryLimit?: string;
  /** A Secret whose keys become environment variables (OSPREY_DB_URL, S3 credentials, …). */
  envFromSecret?: string;
  /** KServe only: a model location KServe's storage initializer downloads to /mnt/models. */
  storageUri?: string;
}

/** The options with every default filled in. */
export type ResolvedExportOptions = Required<
  Omit<ExportOptions, 'namespace' | 'envFromSecret' | 'storageUri'>
> &
  Pick<ExportOptions, 'namespace' | 'envFromSecret' | 'storageUri'>;

/**
 * The documented defaults. CPU has a request but no limit: a CPU limit throttles a busy
 * inference server in 100 ms slices, which shows up as tail latency, while memory keeps a limit
 * so a leak ends in a restart rather than a starved node.
 */
export const EXPORT_DEFAULTS = {
  image: 'osprey:0.1.0',
  minReplicas: 1,
  maxReplicas: 4,
  cpuTargetPercent: 70,
  cpu: '500m',
  memory: '512Mi',
  memoryLimit: '1Gi',
} as const;

// Kubernetes resource.Quantity grammar (k8s.io/apimachinery/pkg/api/resource/quantity.go),
// without the sign: a negative request is rejected by the API server anyway.
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?(\d+(\.\d*)?|\.\d+))?$/;
// A container image reference: [registry/]path[:tag][@digest], no spaces.
const IMAGE = /^[a-z0-9][a-z0-9._\-/:]*(@sha256:[0-9a-f]{64})?$/i;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity that matched QUANTITY (`1Gi` → 1073741824, `500m` → 0.5, `1e3` → 1000). */
export function quantityValue(quantity: string): number {
  const suffix = /([KMGTPE]i|[numkMGTPE])$/.exec(quantity)?.[1] ?? '';
  return Number(quantity.slice(0, quantity.length - suffix.length)) * SUFFIX[suffix]!;
}

function integer(value: number, flag: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${flag} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

function matching(value: string, pattern: RegExp, flag: string, what: string): string {
  if (!pattern.test(value) || value.length > 253)
    throw invalidArgument(`${flag} must be ${what}, got '${value}'`);
  return value;
}

/** Every node of the spec's graph or variants, parents before children. */
export function specNodes(spec: DeploymentSpec): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  const walk = (n: NodeSpec) => {
    nodes.push(n);
    n.children?.forEach(walk);
  };
  if (spec.graph) walk(spec.graph);
  for (const v of spec.variants ?? []) walk(v.graph);
  return nodes;
}

/**
 * CPU cores the spec asks for: each model or remote node holds `workers` sessions of `threads`
 * threads. Undefined when no node says, so the default applies.
 */
export function cpuFromSpec(spec: DeploymentSpec): string | undefined {
  const sized = specNodes(spec).filter((n) => n.workers !== undefined || n.threads !== undefined);
  if (sized.length === 0) return undefined;
  return String(sized.reduce((sum, n) => sum + (n.workers ?? 1) * (n.threads ?? 1), 0));
}

/** Checks the options and fills the defaults; INVALID_ARGUMENT names the bad option. */
export function resolveExportOptions(spec: DeploymentSpec, options: ExportOptions): ResolvedExportOptions {
  if (!(EXPORT_TARGETS as readonly string[]).includes(options.target)) {
    throw invalidArgument(`unknown target '${options.target}' (targets: ${EXPORT_TARGETS.join(', ')})`);
  }
  const d = EXPORT_DEFAULTS;
  const minReplicas = integer(options.minReplicas ?? d.minReplicas, 'min replicas', 1, 1000);
  const maxReplicas = integer(
    options.maxReplicas ?? Math.max(d.maxReplicas, minReplicas),
    'max replicas',
    1,
    1000,
  );
  if (maxReplicas < minReplicas) {
    throw invalidArgument(`max replicas (${maxReplicas}) must be at least min replicas (${minReplicas})`);
  }
  const quantity = (value: string, flag: string) => matching(value, QUANTITY, flag, 'a Kubernetes quantity');
  const label = (value: string | undefined, flag: string) =>
    value === undefined ? undefined : matching(value, DNS_LABEL, flag, 'a lowercase DNS label');
  if (options.storageUri !== undefined && options.target !== 'kserve') {
    throw invalidArgument('storage URI applies to the kserve target only');
  }
  const memory = quantity(options.memory ?? d.memory, 'memory');
  const memoryLimit = quantity(options.memoryLimit ?? d.memoryLimit, 'memory limit');
  if (quantityValue(memoryLimit) < quantityValue(memory)) {
    throw invalidArgument(`memory limit (${memoryLimit}) must be at least the memory request (${memory})`);
  }
  return {
    target: options.target,
    image: matching(options.image ?? d.image, IMAGE, 'image', 'a container image reference'),
    namespace: label(options.namespace, 'namespace'),
    minReplicas,
    maxReplicas,
    cpuTargetPercent: integer(options.cpuTargetPercent ?? d.cpuTargetPercent, 'CPU target', 1, 100),
    cpu: quantity(options.cpu ?? cpuFromSpec(spec) ?? d.cpu, 'cpu'),
    memory,
    memoryLimit,
    envFromSecret: label(options.envFromSecret, 'secret'),
    storageUri: options.storageUri,
  };
}
