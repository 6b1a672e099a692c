/**
 * JSON Schemas (draft-07) of the KServe custom resources Osprey writes, transcribed from the
 * published CRDs: kserve/kserve `config/crd/full/serving.kserve.io_servingruntimes.yaml`
 * (ServingRuntime v1alpha1; Go types `pkg/apis/serving/v1alpha1/servingruntime_types.go` at
 * 0217bdab) and `config/crd/full/serving.kserve.io_inferenceservices.yaml` (InferenceService
 * v1beta1; `pkg/apis/serving/v1beta1/predictor_model.go`, `component.go`).
 *
 * Only the fields Osprey sets are described, and unknown fields are rejected: the API server
 * would silently prune a misspelt field of a structural schema, so a typo must fail here instead.
 * Embedded core/v1 objects (Container, Volume) are checked by kubernetes-models' own validators,
 * because the CRD embeds exactly those types.
 */

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

// RFC 1123 label, the rule for the names of these resources (and ≤ 63 characters).
const dnsLabel = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 } as const;

const metadata = {
  type: 'object',
  required: ['name'],
  properties: {
    name: dnsLabel,
    namespace: dnsLabel,
    labels: stringMap,
    annotations: stringMap,
  },
  additionalProperties: false,
} as const;

/** `constants.InferenceServiceProtocol` in KServe. */
export const KSERVE_PROTOCOLS = ['v1', 'v2', 'grpc-v1', 'grpc-v2'] as const;

const objectArray = { type: 'array', items: { type: 'object' } } as const;

export const servingRuntimeSchema = {
  $id: 'serving.kserve.io/v1alpha1/ServingRuntime',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'serving.kserve.io/v1alpha1' },
    kind: { const: 'ServingRuntime' },
    metadata,
    spec: {
      type: 'object',
      required: ['containers'],
      properties: {
        supportedModelFormats: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', minLength: 1 },
              version: { type: 'string' },
              autoSelect: { type: 'boolean' },
              priority: { type: 'integer', minimum: 1, maximum: 2147483647 },
            },
            additionalProperties: false,
          },
        },
        multiModel: { type: 'boolean' },
        disabled: { type: 'boolean' },
        protocolVersions: { type: 'array', items: { enum: KSERVE_PROTOCOLS } },
        containers: { ...objectArray, minItems: 1 },
        volumes: objectArray,
        nodeSelector: stringMap,
        tolerations: objectArray,
        labels: stringMap,
        annotations: stringMap,
        imagePullSecrets: objectArray,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const inferenceServiceSchema = {
  $id: 'serving.kserve.io/v1beta1/InferenceService',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'serving.kserve.io/v1beta1' },
    kind: { const: 'InferenceService' },
    metadata,
    spec: {
      type: 'object',
      required: ['predictor'],
      properties: {
        predictor: {
          type: 'object',
          required: ['model'],
          properties: {
            model: {
              type: 'object',
              required: ['modelFormat'],
              properties: {
                modelFormat: {
                  type: 'object',
                  required: ['name'],
                  properties: { name: { type: 'string', minLength: 1 }, version: { type: 'string' } },
                  additionalProperties: false,
                },
                runtime: { type: 'string', minLength: 1 },
                protocolVersion: { enum: KSERVE_PROTOCOLS },
                storageUri: { type: 'string', minLength: 1 },
              },
              // The rest of ModelSpec is an inline core/v1 Container, checked separately.
              additionalProperties: true,
            },
            minReplicas: { type: 'integer', minimum: 0 },
            maxReplicas: { type: 'integer', minimum: 0 },
            scaleMetric: { enum: ['cpu', 'memory', 'concurrency', 'rps'] },
            scaleTarget: { type: 'integer', minimum: 1 },
            timeout: { type: 'integer', minimum: 1 },
            labels: stringMap,
            annotations: stringMap,
            volumes: objectArray,
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;
