// Data versioning: DVC-style tracking of files and directories by content (SHA-256), a local
// content-addressed cache, small YAML pointer files for git, a stat cache so unchanged files are
// never re-read, parallel hashing and transfers, and remotes that are any blob store.
export type { AddOptions, AddResult } from './add.js';
export type { CheckoutOptions, CheckoutResult } from './checkout.js';
export {
  type DataRepo,
  type DataRepoOptions,
  openDataRepo,
  type RemoteChoice,
} from './data-repo.js';
export type { LinkKind } from './file-ops.js';
export { createFileRunner, type FileRunner, type FileRunnerOptions, type RunOptions } from './file-runner.js';
export type { GcOptions, GcResult } from './gc.js';
export { ensureIgnored, ignoreLine } from './gitignore.js';
export {
  type Manifest,
  type ManifestEntry,
  parseManifest,
  serializeManifest,
  sha256Hex,
} from './manifest.js';
export {
  formatPointer,
  type Pointer,
  type PointerOut,
  parsePointer,
  readPointer,
  writePointer,
} from './pointer-file.js';
export type { ProgressReporter } from './progress.js';
export { findProjectRoot, type ProjectLayout, projectLayout } from './project.js';
export type { RemoteConfig, RemoteRegistry, RemoteSettings } from './remotes.js';
export { openStatCache, type StatCache, type StatRecord } from './stat-cache.js';
export type { DirChanges, OutStatus } from './status.js';
export type { TransferOptions, TransferResult } from './transfer.js';
