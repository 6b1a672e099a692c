// The part of Argo Workflows' `Workflow` resource (argoproj.io/v1alpha1) the exporter writes.
// Field names follow argoproj/argo-workflows api/jsonschema/schema.json; the tests validate the
// output against that schema.

/** `io.argoproj.workflow.v1alpha1.Parameter` (inputs, arguments and outputs). */
export interface ArgoParameter {
  name: string;
  value?: string;
  valueFrom?: { path: string };
  description?: string;
}

/** `io.argoproj.workflow.v1alpha1.DAGTask`. */
export interface ArgoDagTask {
  name: string;
  template: string;
  dependencies?: string[];
  arguments?: { parameters: ArgoParameter[] };
}

/** `io.k8s.api.core.v1.Container` (the fields used here). */
export interface ArgoContainer {
  image: string;
  command: string[];
  workingDir?: string;
  env?: { name: string; value: string }[];
}

/** `io.argoproj.workflow.v1alpha1.Template`: the DAG, or one stage's container. */
export interface ArgoTemplate {
  name: string;
  dag?: { tasks: ArgoDagTask[] };
  inputs?: { parameters: ArgoParameter[] };
  outputs?: { parameters: ArgoParameter[] };
  container?: ArgoContainer;
  metadata?: { annotations: Record<string, string> };
}

/** `io.argoproj.workflow.v1alpha1.Workflow`. */
export interface ArgoWorkflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Workflow';
  metadata: { generateName: string; annotations?: Record<string, string> };
  spec: {
    entrypoint: string;
    arguments?: { parameters: ArgoParameter[] };
    templates: ArgoTemplate[];
  };
}
