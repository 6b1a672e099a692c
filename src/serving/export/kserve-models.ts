import { Model, type ModelData, setValidateFunc, type TypeMeta } from '@kubernetes-models/base';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Container, type IContainer } from 'kubernetes-models/v1/Container';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { type IVolume, Volume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { inferenceServiceSchema, type KSERVE_PROTOCOLS, servingRuntimeSchema } from './kserve-schema.js';

export type KServeProtocol = (typeof KSERVE_PROTOCOLS)[number];

interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** `SupportedModelFormat` (serving.kserve.io/v1alpha1). */
export interface SupportedModelFormat {
  name: string;
  version?: string;
  autoSelect?: boolean;
  priority?: number;
}

/** `ServingRuntime` (serving.kserve.io/v1alpha1): the pod template KServe uses for a model format. */
export interface IServingRuntime extends TypeMeta {
  apiVersion: 'serving.kserve.io/v1alpha1';
  kind: 'ServingRuntime';
  metadata: ObjectMeta;
  spec: {
    supportedModelFormats?: SupportedModelFormat[];
    multiModel?: boolean;
    disabled?: boolean;
    protocolVersions?: KServeProtocol[];
    containers: IContainer[];
    volumes?: IVolume[];
    nodeSelector?: Record<string, string>;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

/** `ModelSpec` (serving.kserve.io/v1beta1): the model format, runtime, and an inline container. */
export interface KServeModelSpec extends Partial<Omit<IContainer, 'name'>> {
  modelFormat: { name: string; version?: string };
  runtime?: string;
  protocolVersion?: KServeProtocol;
  storageUri?: string;
  resources?: IResourceRequirements;
  volumeMounts?: IVolumeMount[];
}

/** `InferenceService` (serving.kserve.io/v1beta1) with a `predictor.model`. */
export interface IInferenceService extends TypeMeta {
  apiVersion: 'serving.kserve.io/v1beta1';
  kind: 'InferenceService';
  metadata: ObjectMeta;
  spec: {
    predictor: {
      model: KServeModelSpec;
      minReplicas?: number;
      maxReplicas?: number;
      scaleMetric?: 'cpu' | 'memory' | 'concurrency' | 'rps';
      scaleTarget?: number;
      timeout?: number;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      volumes?: IVolume[];
    };
  };
}

const ajv = new Ajv({ allErrors: true, strict: true });

const describe = (e: ErrorObject) =>
  e.keyword === 'additionalProperties'
    ? `data${e.instancePath} has unknown field '${String(e.params.additionalProperty)}'`
    : `data${e.instancePath} ${e.message}`;

/**
 * One validate function for `setValidateFunc`: the ajv schema check, then kubernetes-models'
 * core/v1 checks of the embedded objects. It throws rather than returning false, so its message
 * (naming an unknown field) is not replaced by the generic one.
 */
function validator<T>(schema: object, embedded: (data: T) => void) {
  const check: ValidateFunction = ajv.compile(schema);
  return (data: unknown): data is T => {
    // Check the JSON form: ajv would count the model's enumerable prototype members as fields.
    const plain: unknown = JSON.parse(JSON.stringify(data));
    if (!check(plain)) throw new Error((check.errors ?? []).map(describe).join(', '));
    embedded(plain as T);
    return true;
  };
}

const checkVolumes = (volumes: IVolume[] | undefined) => {
  for (const v of volumes ?? []) new Volume(v).validate();
};

/** A KServe ServingRuntime; `.validate()` checks it against the CRD schema. */
export class ServingRuntime extends Model<IServingRuntime> implements IServingRuntime {
  declare apiVersion: IServingRuntime['apiVersion'];
  declare kind: IServingRuntime['kind'];
  declare metadata: ObjectMeta;
  declare spec: IServingRuntime['spec'];
  constructor(data?: ModelData<IServingRuntime>) {
    super();
    this.setDefinedProps({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      ...data,
    } as ModelData<IServingRuntime>);
  }
}
setValidateFunc(
  ServingRuntime,
  validator<IServingRuntime>(servingRuntimeSchema, (sr) => {
    for (const c of sr.spec.containers) new Container(c).validate();
    checkVolumes(sr.spec.volumes);
  }),
);

/** A KServe InferenceService; `.validate()` checks it against the CRD schema. */
export class InferenceService extends Model<IInferenceService> implements IInferenceService {
  declare apiVersion: IInferenceService['apiVersion'];
  declare kind: IInferenceService['kind'];
  declare metadata: ObjectMeta;
  declare spec: IInferenceService['spec'];
  constructor(data?: ModelData<IInferenceService>) {
    super();
    this.setDefinedProps({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      ...data,
    } as ModelData<IInferenceService>);
  }
}
setValidateFunc(
  InferenceService,
  validator<IInferenceService>(inferenceServiceSchema, (isvc) => {
    const {
      modelFormat: _f,
      runtime: _r,
      protocolVersion: _p,
      storageUri: _s,
      ...container
    } = isvc.spec.predictor.model;
    // ModelSpec inlines a core/v1 Container whose name KServe fills in (`kserve-container`).
    new Container({ name: 'kserve-container', ...container }).validate();
    checkVolumes(isvc.spec.predictor.volumes);
  }),
);
