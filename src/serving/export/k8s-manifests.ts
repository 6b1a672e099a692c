import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import type { ResolvedExportOptions } from './export-options.js';
import {
  type ExportIdentity,
  GRPC_PORT,
  HTTP_PORT,
  ospreyContainer,
  PROMETHEUS_ANNOTATIONS,
  SPEC_FILE,
  STATE_VOLUME,
  specDigestAnnotation,
  specVolume,
} from './osprey-pod.js';

const meta = (id: ExportIdentity, name = id.name) => ({
  name,
  ...(id.namespace ? { namespace: id.namespace } : {}),
  labels: id.labels,
});

/** The deployment spec as a ConfigMap, mounted where `osprey serve -f` reads it. */
export function specConfigMap(id: ExportIdentity, name: string): ConfigMap {
  return new ConfigMap({ metadata: meta(id, name), data: { [SPEC_FILE]: id.specYaml } });
}

/**
 * Plain Kubernetes: ConfigMap (the spec), Deployment (N stateless `osprey serve` replicas),
 * Service (REST 8080 + gRPC 8081) and, when max > min replicas, a CPU HorizontalPodAutoscaler.
 */
export function k8sManifests(id: ExportIdentity, options: ResolvedExportOptions) {
  const configMapName = `${id.name}-spec`;
  const autoscaled = options.maxReplicas > options.minReplicas;
  const deployment = new Deployment({
    metadata: meta(id),
    spec: {
      // Left to the HPA when there is one, so re-applying the manifest does not reset its count.
      ...(autoscaled ? {} : { replicas: options.minReplicas }),
      selector: { matchLabels: id.selector },
      // Surge before draining: capacity never drops below the current count during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: id.labels,
          annotations: { ...PROMETHEUS_ANNOTATIONS, ...specDigestAnnotation(id) },
        },
        spec: {
          containers: [ospreyContainer('osprey', options)],
          volumes: [specVolume(configMapName), STATE_VOLUME],
        },
      },
    },
  });
  const service = new Service({
    metadata: meta(id),
    spec: {
      type: 'ClusterIP',
      selector: id.selector,
      ports: [
        { name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' },
        { name: 'grpc', port: GRPC_PORT, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' },
      ],
    },
  });
  const hpa = new HorizontalPodAutoscaler({
    metadata: meta(id),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: id.name },
      minReplicas: options.minReplicas,
      maxReplicas: options.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: options.cpuTargetPercent },
          },
        },
      ],
    },
  });
  return [specConfigMap(id, configMapName), deployment, service, ...(autoscaled ? [hpa] : [])];
}
