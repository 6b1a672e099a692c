import type { ResolvedExportOptions } from './export-options.js';
import { specConfigMap } from './k8s-manifests.js';
import { InferenceService, ServingRuntime } from './kserve-models.js';
import {
  type ExportIdentity,
  HTTP_PORT,
  ospreyContainer,
  PROMETHEUS_ANNOTATIONS,
  SPEC_MOUNT,
  STATE_MOUNT,
  STATE_VOLUME,
  specDigestAnnotation,
  specVolume,
} from './osprey-pod.js';

/** The model format an Osprey deployment spec is, for KServe's runtime matching. */
export const OSPREY_MODEL_FORMAT = { name: 'osprey', version: '1' } as const;

/**
 * KServe: ConfigMap (the spec), a ServingRuntime that runs Osprey as an Open Inference Protocol
 * runtime (REST and gRPC v2), and an InferenceService that selects it. The runtime is named after
 * the deployment, so exports of two deployments (or two images) never overwrite each other.
 *
 * RawDeployment mode with an HPA on CPU, like the k8s target: Knative's queue-proxy costs 2–3 ms
 * per request (KServe `test/benchmark/README.md`), and scale-to-zero would add model load time.
 */
export function kserveManifests(id: ExportIdentity, options: ResolvedExportOptions) {
  const configMapName = `${id.name}-spec`;
  const runtimeName = `${id.name}-osprey`;
  const { resources, volumeMounts: _mounts, ...base } = ospreyContainer('kserve-container', options);
  const meta = (name: string) => ({
    name,
    ...(id.namespace ? { namespace: id.namespace } : {}),
    labels: id.labels,
  });
  const runtime = new ServingRuntime({
    metadata: meta(runtimeName),
    spec: {
      supportedModelFormats: [{ ...OSPREY_MODEL_FORMAT, autoSelect: false }],
      multiModel: false,
      protocolVersions: ['v2', 'grpc-v2'],
      annotations: { ...PROMETHEUS_ANNOTATIONS },
      labels: id.labels,
      containers: [
        {
          ...base,
          // Knative and KServe route to one port; gRPC stays reachable on the pod at 8081.
          ports: [{ containerPort: HTTP_PORT, protocol: 'TCP' }],
          volumeMounts: [STATE_MOUNT],
        },
      ],
      volumes: [STATE_VOLUME],
    },
  });
  const isvc = new InferenceService({
    metadata: {
      ...meta(id.name),
      annotations: {
        'serving.kserve.io/deploymentMode': 'RawDeployment',
        'serving.kserve.io/autoscalerClass': 'hpa',
      },
    },
    spec: {
      predictor: {
        minReplicas: options.minReplicas,
        maxReplicas: options.maxReplicas,
        scaleMetric: 'cpu',
        scaleTarget: options.cpuTargetPercent,
        annotations: specDigestAnnotation(id),
        model: {
          modelFormat: { ...OSPREY_MODEL_FORMAT },
          runtime: runtimeName,
          protocolVersion: 'v2',
          ...(options.storageUri ? { storageUri: options.storageUri } : {}),
          resources,
          volumeMounts: [SPEC_MOUNT],
        },
        volumes: [specVolume(configMapName)],
      },
    },
  });
  return [specConfigMap(id, configMapName), runtime, isvc];
}
