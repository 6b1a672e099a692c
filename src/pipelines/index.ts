// Pipelines: DVC-style stages in osprey.yaml (foreach/matrix templating, params), a lock file of
// what each stage consumed and produced, and repro that runs only what changed, in parallel,
// with a run cache. Hashing and caching are data versioning's (src/data).
export { formatDagMermaid, formatDagText } from './dag-format.js';
export * from './distributed/index.js';
export * from './experiments/index.js';
export * from './export/index.js';
export { buildDag, type Dag, selectStages } from './graph.js';
export { loadPipeline, PIPELINE_FILE } from './load.js';
export { formatLock, LOCK_FILE, type Lock, type LockEntry, type LockedPath, readLock } from './lock.js';
export {
  loadDag,
  type ReproDeps,
  type ReproEvent,
  type ReproOptions,
  type ReproResult,
  repro,
} from './repro.js';
export type { Pipeline, Stage, StageOut, StageParams } from './types.js';
