import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { isOspreyError } from '../../errors/index.js';
import { type DeploymentSpec, parseDeploymentSpec } from '../deployment/index.js';
import { quantityValue } from './export-options.js';
import {
  EXPORT_DEFAULTS,
  type ExportOptions,
  exportManifests,
  InferenceService,
  type KubernetesObject,
  kubernetesName,
  localPaths,
  manifestFileName,
  ServingRuntime,
  toYamlDocuments,
} from './index.js';

// A spec using most of the schema, so the ConfigMap round trip covers it.
const RICH = parseDeploymentSpec(`
name: Fraud_Detector.v2
version: "7"
timeoutMs: 250
payloadLogging: { enabled: true, sampleRate: 0.25 }
variants:
  - name: main
    graph:
      name: pre
      type: transformer
      module: ./pre.js
      children:
        - name: fraud
          type: model
          model: models:/fraud@champion
          batching: { maxBatchSize: 32, maxBatchTimeMs: 2 }
          workers: 2
          threads: 2
  - name: challenger
    graph:
      name: route
      type: router
      router: { type: Switch }
      children:
        - name: big
          type: model
          model: models:/fraud-xl/3
          threads: 3
          condition: { input: amount, op: gt, value: 1000 }
        - name: remote
          type: remote
          url: http://scorer.ml.svc:8080/v2/models/fraud
traffic:
  policy: canary
  main: main
  canary: challenger
  percent: 10
`);

const SIMPLE = parseDeploymentSpec(
  'name: iris\ngraph: { name: m, type: model, model: models:/iris@champion }\n',
);

function byKind<T>(objects: KubernetesObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0] as T;
}

function rejects(spec: DeploymentSpec, options: ExportOptions, message: RegExp) {
  assert.throws(
    () => exportManifests(spec, options),
    (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT' && message.test(e.message),
  );
}

const subset = (small: Record<string, string>, big: Record<string, string> | undefined) =>
  Object.entries(small).every(([k, v]) => big?.[k] === v);

describe('exportManifests, target k8s', () => {
  const objects = exportManifests(RICH, {
    target: 'k8s',
    namespace: 'ml',
    image: 'reg.example/osprey:0.1.0',
  });
  const configMap = byKind<ConfigMap>(objects, 'ConfigMap');
  const deployment = byKind<Deployment>(objects, 'Deployment');
  const service = byKind<Service>(objects, 'Service');
  const hpa = byKind<HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
  const pod = deployment.spec!.template.spec!;
  const container = pod.containers[0]!;

  it('gives ConfigMap, Deployment, Service, HPA in apply order, each valid against the OpenAPI schema', () => {
    assert.deepEqual(
      objects.map((o) => o.kind),
      ['ConfigMap', 'Deployment', 'Service', 'HorizontalPodAutoscaler'],
    );
    for (const o of objects) {
      o.validate();
      assert.equal(o.metadata?.namespace, 'ml');
    }
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
  });

  it('names and labels agree: the Service and the Deployment select its pods, the HPA targets it', () => {
    assert.equal(deployment.metadata?.name, 'fraud-detector-v2');
    const podLabels = deployment.spec!.template.metadata!.labels!;
    assert.ok(subset(deployment.spec!.selector.matchLabels!, podLabels));
    assert.ok(subset(service.spec!.selector!, podLabels));
    assert.deepEqual(service.spec!.selector, deployment.spec!.selector.matchLabels);
    assert.deepEqual(hpa.spec!.scaleTargetRef, {
      apiVersion: deployment.apiVersion,
      kind: deployment.kind,
      name: deployment.metadata!.name,
    });
    const portNames = container.ports!.map((p) => p.name);
    for (const p of service.spec!.ports!) assert.ok(portNames.includes(String(p.targetPort)), p.name);
    assert.deepEqual(
      service.spec!.ports!.map((p) => p.port),
      [8080, 8081],
    );
    for (const o of [configMap, deployment, service, hpa]) {
      assert.ok(subset(deployment.spec!.selector.matchLabels!, o.metadata!.labels), o.kind);
      assert.equal(o.metadata!.labels!['app.kubernetes.io/version'], '7');
    }
  });

  it('runs osprey serve on the spec mounted from the ConfigMap, with OIP probes and Prometheus annotations', () => {
    assert.equal(container.image, 'reg.example/osprey:0.1.0');
    assert.deepEqual(container.args!.slice(0, 3), ['serve', '-f', '/etc/osprey/deployment.yaml']);
    const specVolume = pod.volumes!.find((v) => v.configMap)!;
    assert.equal(specVolume.configMap!.name, configMap.metadata!.name);
    const mount = container.volumeMounts!.find((m) => m.name === specVolume.name)!;
    assert.equal(mount.mountPath, '/etc/osprey');
    assert.ok(Object.keys(configMap.data!).includes('deployment.yaml'));
    assert.equal(container.readinessProbe!.httpGet!.path, '/v2/health/ready');
    assert.equal(container.livenessProbe!.httpGet!.path, '/v2/health/live');
    const annotations = deployment.spec!.template.metadata!.annotations!;
    assert.equal(annotations['prometheus.io/scrape'], 'true');
    assert.equal(annotations['prometheus.io/port'], '8080');
    assert.equal(annotations['prometheus.io/path'], '/metrics');
    assert.match(annotations['osprey.dev/spec-sha256']!, /^[0-9a-f]{64}$/);
  });

  it('the ConfigMap round-trips the spec', () => {
    assert.deepEqual(parseDeploymentSpec(configMap.data!['deployment.yaml']!), RICH);
  });

  it('takes CPU from workers × threads of the spec, else the documented defaults', () => {
    // fraud 2×2 + big 1×3 = 7 cores.
    assert.deepEqual(container.resources, {
      requests: { cpu: '7', memory: EXPORT_DEFAULTS.memory },
      limits: { memory: EXPORT_DEFAULTS.memoryLimit },
    });
    assert.equal(hpa.spec!.minReplicas, EXPORT_DEFAULTS.minReplicas);
    assert.equal(hpa.spec!.maxReplicas, EXPORT_DEFAULTS.maxReplicas);
    assert.equal(
      hpa.spec!.metrics![0]!.resource!.target.averageUtilization,
      EXPORT_DEFAULTS.cpuTargetPercent,
    );
    assert.equal(deployment.spec!.replicas, undefined, 'the HPA owns the replica count');
    const simple = byKind<Deployment>(exportManifests(SIMPLE, { target: 'k8s' }), 'Deployment');
    assert.equal(simple.spec!.template.spec!.containers[0]!.resources!.requests!.cpu, EXPORT_DEFAULTS.cpu);
    assert.equal(simple.spec!.template.spec!.containers[0]!.image, EXPORT_DEFAULTS.image);
  });

  it('a fixed replica count has no HPA; options override the defaults', () => {
    const fixed = exportManifests(SIMPLE, {
      target: 'k8s',
      minReplicas: 3,
      maxReplicas: 3,
      cpu: '2',
      memory: '1Gi',
      memoryLimit: '2Gi',
      envFromSecret: 'osprey-db',
    });
    assert.deepEqual(
      fixed.map((o) => o.kind),
      ['ConfigMap', 'Deployment', 'Service'],
    );
    const d = byKind<Deployment>(fixed, 'Deployment');
    assert.equal(d.spec!.replicas, 3);
    const c = d.spec!.template.spec!.containers[0]!;
    assert.deepEqual(c.resources, { requests: { cpu: '2', memory: '1Gi' }, limits: { memory: '2Gi' } });
    assert.deepEqual(c.envFrom, [{ secretRef: { name: 'osprey-db' } }]);
  });

  it('renders one YAML stream that parses back to the same objects', () => {
    const docs = parseAllDocuments(toYamlDocuments(objects));
    assert.deepEqual(
      docs.map((d) => d.toJS() as unknown),
      objects.map((o) => JSON.parse(JSON.stringify(o)) as unknown),
    );
    assert.deepEqual(objects.map(manifestFileName), [
      '01-configmap-fraud-detector-v2-spec.yaml',
      '02-deployment-fraud-detector-v2.yaml',
      '03-service-fraud-detector-v2.yaml',
      '04-horizontalpodautoscaler-fraud-detector-v2.yaml',
    ]);
  });
});

describe('exportManifests, target kserve', () => {
  const objects = exportManifests(RICH, { target: 'kserve', storageUri: 's3://models/fraud' });
  const runtime = byKind<ServingRuntime>(objects, 'ServingRuntime');
  const isvc = byKind<InferenceService>(objects, 'InferenceService');
  const configMap = byKind<ConfigMap>(objects, 'ConfigMap');

  it('gives ConfigMap, ServingRuntime, InferenceService, each valid against the CRD schema', () => {
    assert.deepEqual(
      objects.map((o) => `${o.apiVersion}/${o.kind}`),
      [
        'v1/ConfigMap',
        'serving.kserve.io/v1alpha1/ServingRuntime',
        'serving.kserve.io/v1beta1/InferenceService',
      ],
    );
    for (const o of objects) o.validate();
  });

  it('the InferenceService selects the runtime by name, model format and protocol', () => {
    const model = isvc.spec.predictor.model;
    assert.equal(model.runtime, runtime.metadata.name);
    assert.ok(
      runtime.spec.supportedModelFormats!.some(
        (f) => f.name === model.modelFormat.name && f.version === model.modelFormat.version,
      ),
    );
    assert.deepEqual(runtime.spec.protocolVersions, ['v2', 'grpc-v2']);
    assert.equal(model.protocolVersion, 'v2');
    assert.equal(model.storageUri, 's3://models/fraud');
    assert.equal(runtime.spec.containers[0]!.name, 'kserve-container');
    assert.equal(isvc.metadata.annotations!['serving.kserve.io/deploymentMode'], 'RawDeployment');
    assert.equal(isvc.spec.predictor.scaleMetric, 'cpu');
  });

  it('mounts the spec ConfigMap, runs osprey serve with OIP probes, and round-trips the spec', () => {
    const volume = isvc.spec.predictor.volumes!.find((v) => v.configMap)!;
    assert.equal(volume.configMap!.name, configMap.metadata!.name);
    assert.deepEqual(isvc.spec.predictor.model.volumeMounts, [
      { name: volume.name, mountPath: '/etc/osprey', readOnly: true },
    ]);
    const c = runtime.spec.containers[0]!;
    assert.deepEqual(c.args!.slice(0, 3), ['serve', '-f', '/etc/osprey/deployment.yaml']);
    assert.equal(c.readinessProbe!.httpGet!.path, '/v2/health/ready');
    assert.equal(c.livenessProbe!.httpGet!.path, '/v2/health/live');
    assert.equal(runtime.spec.annotations!['prometheus.io/path'], '/metrics');
    assert.deepEqual(parseDeploymentSpec(configMap.data!['deployment.yaml']!), RICH);
  });
});

describe('bad input', () => {
  it('an unknown target, bad replica counts or quantities are INVALID_ARGUMENT', () => {
    rejects(SIMPLE, { target: 'nomad' as 'k8s' }, /unknown target 'nomad' \(targets: k8s, kserve\)/);
    rejects(
      SIMPLE,
      { target: 'k8s', minReplicas: 5, maxReplicas: 2 },
      /max replicas \(2\) must be at least min replicas \(5\)/,
    );
    rejects(SIMPLE, { target: 'k8s', minReplicas: 0 }, /min replicas must be an integer in \[1, 1000\]/);
    rejects(SIMPLE, { target: 'k8s', cpu: 'lots' }, /cpu must be a Kubernetes quantity, got 'lots'/);
    rejects(SIMPLE, { target: 'k8s', cpu: '-1' }, /cpu must be a Kubernetes quantity, got '-1'/);
    rejects(
      SIMPLE,
      { target: 'k8s', memory: '2Gi' },
      /memory limit \(1Gi\) must be at least the memory request \(2Gi\)/,
    );
    rejects(SIMPLE, { target: 'k8s', image: 'bad image' }, /image must be a container image reference/);
    rejects(SIMPLE, { target: 'k8s', namespace: 'ML_Team' }, /namespace must be a lowercase DNS label/);
    rejects(SIMPLE, { target: 'k8s', storageUri: 's3://x' }, /storage URI applies to the kserve target only/);
    rejects({ ...SIMPLE, name: '123' }, { target: 'k8s' }, /has no letters to make a Kubernetes name/);
  });

  it('a manifest that breaks its schema is caught by validate()', () => {
    const [, deployment] = exportManifests(SIMPLE, { target: 'k8s' }) as [ConfigMap, Deployment];
    deployment.spec!.template.spec!.containers[0]!.ports![0]!.containerPort = 'http' as unknown as number;
    assert.throws(() => deployment.validate(), /containerPort must be integer/);

    const [, runtime, isvc] = exportManifests(SIMPLE, { target: 'kserve' }) as [
      ConfigMap,
      ServingRuntime,
      InferenceService,
    ];
    runtime.spec.protocolVersions = ['v3' as 'v2'];
    assert.throws(() => runtime.validate(), /protocolVersions\/0 must be equal to one of the allowed values/);
    runtime.spec.protocolVersions = ['v2'];
    (runtime.spec as Record<string, unknown>).suportedModelFormats = [];
    assert.throws(() => runtime.validate(), /unknown field 'suportedModelFormats'/);
    delete (runtime.spec as Record<string, unknown>).suportedModelFormats;
    runtime.spec.containers[0]!.ports = [{ containerPort: -1 as number, protocol: 'TCP' }];
    runtime.validate(); // ports are int32; the core/v1 schema has no minimum
    runtime.spec.containers[0]!.image = 7 as unknown as string;
    assert.throws(() => runtime.validate(), /image must be string/);
    isvc.spec.predictor.model.modelFormat = {} as { name: string };
    assert.throws(() => isvc.validate(), /modelFormat must have required property 'name'/);
  });

  it('the CRD schemas accept KServe documentation examples', () => {
    // kserve/kserve docs/samples/v2/sklearn (OIP example) and config/runtimes/kserve-mlserver.yaml.
    new InferenceService({
      metadata: { name: 'sklearn-irisv2' },
      spec: {
        predictor: {
          model: {
            modelFormat: { name: 'sklearn' },
            runtime: 'kserve-mlserver',
            protocolVersion: 'v2',
            storageUri: 'gs://seldon-models/sklearn/mms/lr_model',
          },
        },
      },
    }).validate();
    new ServingRuntime({
      metadata: { name: 'kserve-mlserver' },
      spec: {
        annotations: { 'prometheus.kserve.io/port': '8080', 'prometheus.kserve.io/path': '/metrics' },
        supportedModelFormats: [{ name: 'sklearn', version: '0', autoSelect: true, priority: 2 }],
        protocolVersions: ['v2'],
        containers: [
          {
            name: 'kserve-container',
            image: 'mlserver:replace',
            env: [{ name: 'MLSERVER_HTTP_PORT', value: '8080' }],
            resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } },
          },
        ],
      },
    }).validate();
  });
});

describe('kubernetesName, localPaths, quantityValue', () => {
  it('reads Kubernetes quantities', () => {
    assert.equal(quantityValue('1Gi'), 1073741824);
    assert.equal(quantityValue('500m'), 0.5);
    assert.equal(quantityValue('1.5G'), 1.5e9);
    assert.equal(quantityValue('1e3'), 1000);
    assert.equal(quantityValue('2'), 2);
    assert.ok(quantityValue('1025Mi') > quantityValue('1Gi'));
  });

  it('makes RFC 1035 labels of spec names', () => {
    assert.equal(kubernetesName('Fraud_Detector.v2'), 'fraud-detector-v2');
    assert.equal(kubernetesName('9lives-model'), 'lives-model');
    assert.equal(kubernetesName(`a${'b'.repeat(100)}`, 45).length, 45);
    assert.equal(kubernetesName('abc-_-def'), 'abc-def');
    assert.equal(kubernetesName(`${'a'.repeat(44)}-x`, 45), 'a'.repeat(44));
  });

  it('lists models and modules given as paths, not URIs', () => {
    assert.deepEqual(localPaths(RICH), ['pre: ./pre.js']);
    assert.deepEqual(localPaths(SIMPLE), []);
  });
});
