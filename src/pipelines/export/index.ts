// Pipeline export: an osprey.yaml pipeline as an Argo Workflows manifest.
export type {
  ArgoContainer,
  ArgoDagTask,
  ArgoParameter,
  ArgoTemplate,
  ArgoWorkflow,
} from './argo-types.js';
export {
  type ArgoExportOptions,
  exportArgoWorkflow,
  exportProjectToArgo,
  formatArgoWorkflow,
  OUTS_FILE,
} from './argo-workflow.js';
export { createDnsNamer } from './dns-names.js';
