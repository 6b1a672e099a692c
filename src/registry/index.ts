export { type ModelReference, parseModelUri } from './model-uri.js';
export { createRegistry, type Registry } from './registry.js';
export type { RegistryDeps } from './registry-deps.js';
export { REGISTRY_LIMITS } from './registry-rules.js';
export * from './types.js';
