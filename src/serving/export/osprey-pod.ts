import { createHash } from 'node:crypto';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { invalidArgument } from '../../errors/index.js';
import { type DeploymentSpec, formatDeploymentSpec } from '../deployment/index.js';
import { type ResolvedExportOptions, specNodes } from './export-options.js';

/** Where the spec from the ConfigMap is mounted, and the file `osprey serve -f` reads. */
export const SPEC_DIR = '/etc/osprey';
export const SPEC_FILE = 'deployment.yaml';
/** OIP REST (and /metrics) and OIP gRPC, the ports KServe and MLServer use. */
export const HTTP_PORT = 8080;
export const GRPC_PORT = 8081;
/** Writable home for Osprey's local state (an emptyDir), since the image's filesystem may not be. */
export const STATE_DIR = '/var/lib/osprey';

/** The names, labels and spec text every object of one export shares. */
export interface ExportIdentity {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  specYaml: string;
  specDigest: string;
}

// Label values: ≤ 63 characters, alphanumerics with -_. inside (k8s.io/apimachinery validation).
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A deployment name as a Kubernetes object name: an RFC 1035 label (lowercase, starts with a
 * letter, `_` and `.` become `-`), at most `maxLength` long so derived names still fit in 63.
 */
export function kubernetesName(specName: string, maxLength = 63): string {
  const name = specName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  if (name === '') {
    throw invalidArgument(
      `deployment name '${specName}' has no letters to make a Kubernetes name from; rename it`,
    );
  }
  return name;
}

/** Names and labels of one export: `app.kubernetes.io/*` recommended labels. */
export function exportIdentity(spec: DeploymentSpec, options: ResolvedExportOptions): ExportIdentity {
  const name = kubernetesName(spec.name, options.target === 'kserve' ? 45 : 63);
  const selector = { 'app.kubernetes.io/name': 'osprey', 'app.kubernetes.io/instance': name };
  const labels: Record<string, string> = {
    ...selector,
    'app.kubernetes.io/component': 'inference-server',
    'app.kubernetes.io/managed-by': 'osprey',
  };
  if (spec.version !== undefined && spec.version.length <= 63 && LABEL_VALUE.test(spec.version)) {
    labels['app.kubernetes.io/version'] = spec.version;
  }
  const specYaml = formatDeploymentSpec(spec);
  const specDigest = createHash('sha256').update(specYaml).digest('hex');
  return { name, namespace: options.namespace, labels, selector, specYaml, specDigest };
}

/** Pod annotations for annotation-based Prometheus discovery of `/metrics`. */
export const PROMETHEUS_ANNOTATIONS: Readonly<Record<string, string>> = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(HTTP_PORT),
  'prometheus.io/path': '/metrics',
};

/** The spec's digest on the pod template: a changed ConfigMap alone would not restart the pods. */
export const specDigestAnnotation = (id: ExportIdentity) => ({ 'osprey.dev/spec-sha256': id.specDigest });

// A model or module given by URI (models:/, runs:/, s3://…) is fetched at start; file: is a path.
const URI = /^(?!file:)[a-zA-Z][\w+.-]+:/;

/** Local paths in the spec (models or modules not given by URI) that must exist inside the image. */
export function localPaths(spec: DeploymentSpec): string[] {
  return specNodes(spec).flatMap((node) =>
    [node.model, node.module]
      .filter((value): value is string => value !== undefined && !URI.test(value))
      .map((value) => `${node.name}: ${value}`),
  );
}

/** The spec, from its ConfigMap, read-only where `osprey serve -f` reads it. */
export const specVolume = (configMapName: string): IVolume => ({
  name: 'spec',
  configMap: { name: configMapName },
});
export const SPEC_MOUNT: IVolumeMount = { name: 'spec', mountPath: SPEC_DIR, readOnly: true };
/** Scratch space for Osprey's local state; lost with the pod, which keeps nothing of its own. */
export const STATE_VOLUME: IVolume = { name: 'state', emptyDir: {} };
export const STATE_MOUNT: IVolumeMount = { name: 'state', mountPath: STATE_DIR };

/** The Osprey container: `osprey serve` on the mounted spec, OIP health probes, resources. */
export function ospreyContainer(name: string, options: ResolvedExportOptions): IContainer {
  return {
    name,
    image: options.image,
    args: [
      'serve',
      '-f',
      `${SPEC_DIR}/${SPEC_FILE}`,
      '--host',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--grpc-port',
      String(GRPC_PORT),
    ],
    env: [{ name: 'OSPREY_HOME', value: STATE_DIR }],
    ...(options.envFromSecret ? { envFrom: [{ secretRef: { name: options.envFromSecret } }] } : {}),
    ports: [
      { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
      { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
    ],
    // Ready only once every model is loaded (OIP /v2/health/ready), so no request hits a cold pod.
    readinessProbe: {
      httpGet: { path: '/v2/health/ready', port: HTTP_PORT },
      periodSeconds: 5,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: '/v2/health/live', port: HTTP_PORT },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 3,
    },
    resources: {
      requests: { cpu: options.cpu, memory: options.memory },
      limits: { memory: options.memoryLimit },
    },
    volumeMounts: [SPEC_MOUNT, STATE_MOUNT],
    securityContext: { allowPrivilegeEscalation: false },
  };
}
