import { Document } from 'yaml';
import { invalidArgument } from '../../errors/index.js';
import type { DeploymentSpec } from '../deployment/index.js';
import { type ExportOptions, resolveExportOptions } from './export-options.js';
import { k8sManifests } from './k8s-manifests.js';
import { kserveManifests } from './kserve-manifests.js';
import { exportIdentity } from './osprey-pod.js';

/** A typed Kubernetes object (kubernetes-models, or Osprey's KServe models) that can check itself. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
  validate(): void;
  toJSON(): unknown;
}

/**
 * The manifests that run `spec` on Kubernetes (`target: 'k8s'`) or KServe (`'kserve'`), each
 * validated against its OpenAPI / CRD schema. INVALID_ARGUMENT on a bad option; a manifest that
 * fails its schema is an Osprey bug and throws a plain Error naming the object.
 *
 * @example exportManifests(spec, { target: 'k8s', image: 'registry.example/osprey:0.1.0' })
 */
export function exportManifests(spec: DeploymentSpec, options: ExportOptions): KubernetesObject[] {
  const resolved = resolveExportOptions(spec, options);
  const id = exportIdentity(spec, resolved);
  const objects: KubernetesObject[] =
    resolved.target === 'k8s' ? k8sManifests(id, resolved) : kserveManifests(id, resolved);
  for (const object of objects) {
    try {
      object.validate();
    } catch (error) {
      throw new Error(`${object.kind} ${object.metadata?.name}: ${(error as Error).message}`);
    }
  }
  return objects;
}

/** The objects as one multi-document YAML stream (`kubectl apply -f -`). */
export function toYamlDocuments(objects: readonly KubernetesObject[]): string {
  return objects.map((o) => new Document(o.toJSON()).toString({ lineWidth: 0 })).join('---\n');
}

/**
 * File names for `--out <dir>`: `<nn>-<kind>-<name>.yaml`, numbered in apply order (the
 * ConfigMap before the pods that mount it, the runtime before the InferenceService using it).
 */
export function manifestFileName(object: KubernetesObject, index: number): string {
  const name = object.metadata?.name;
  if (!name) throw invalidArgument(`${object.kind} has no name`);
  return `${String(index + 1).padStart(2, '0')}-${object.kind.toLowerCase()}-${name}.yaml`;
}
