export {
  exportManifests,
  type KubernetesObject,
  manifestFileName,
  toYamlDocuments,
} from './export-manifests.js';
export {
  EXPORT_DEFAULTS,
  EXPORT_TARGETS,
  type ExportOptions,
  type ExportTarget,
  resolveExportOptions,
} from './export-options.js';
export { OSPREY_MODEL_FORMAT } from './kserve-manifests.js';
export {
  type IInferenceService,
  InferenceService,
  type IServingRuntime,
  ServingRuntime,
} from './kserve-models.js';
export { KSERVE_PROTOCOLS } from './kserve-schema.js';
export { GRPC_PORT, HTTP_PORT, kubernetesName, localPaths, SPEC_DIR, SPEC_FILE } from './osprey-pod.js';
