import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  type BlobStore,
  type BlobStoreOptions,
  createBlobStore,
  type S3Options,
} from '../../store/blob/index.js';
import { type AddOptions, type AddResult, addPath, snapshotPath } from './add.js';
import { type CheckoutOptions, type CheckoutResult, checkoutOut } from './checkout.js';
import { createFileRunner, type FileRunner } from './file-runner.js';
import { collectGarbage, type GcOptions, type GcResult } from './gc.js';
import { openLocalCache } from './local-cache.js';
import { type PointerOut, pointerPathOf, readPointer } from './pointer-file.js';
import { type ProgressReporter, silentProgress } from './progress.js';
import {
  ensureStateDir,
  findPointerFiles,
  outsOf,
  type ProjectLayout,
  projectLayout,
  resolveOuts,
  rootRelative,
  type TrackedOut,
} from './project.js';
import { openRemoteRegistry, type RemoteConfig, type RemoteRegistry, remoteStoreUri } from './remotes.js';
import { openStatCache } from './stat-cache.js';
import { type OutStatus, outStatus } from './status.js';
import { fetchOuts, pushOuts, type TransferOptions, type TransferResult } from './transfer.js';
import type { Engine } from './workspace-scan.js';

/** Dependencies and settings of a data repository; everything but `root` has a default. */
export interface DataRepoOptions {
  /** The project root (see findProjectRoot). */
  root: string;
  /** Directory user paths are relative to (default: the root). */
  cwd?: string;
  /** Hashing/copying threads (default: all cores; 0 = on the calling thread). */
  threads?: number;
  /** Objects transferred at once (default 4 × cores, at most 32). */
  jobs?: number;
  /** Default settings for s3:// remotes (endpoint, region, credentials), under each remote's own. */
  s3?: S3Options;
  /** Opens a remote's blob store (default: createBlobStore on its URI). */
  openRemote?: (uri: string, options: BlobStoreOptions) => BlobStore;
  /** Where progress goes (default: nowhere). */
  progress?: ProgressReporter;
  /** Runs the file jobs (default: a worker-thread runner; injectable to observe hashing). */
  runner?: FileRunner;
}

/** Names the remote to use; the default remote when omitted. */
export interface RemoteChoice {
  remote?: string;
}

/** Data versioning for one project: DVC-style add/status/checkout/push/pull/fetch/gc. */
export interface DataRepo {
  readonly layout: ProjectLayout;
  readonly remotes: RemoteRegistry;
  /** Tracks files or directories (paths relative to cwd). */
  add(paths: readonly string[], options?: AddOptions): Promise<AddResult[]>;
  /** Status of the given outputs (data paths or pointer files), or of every one in the project. */
  status(
    targets?: readonly string[],
    options?: RemoteChoice & { remoteStatus?: boolean },
  ): Promise<OutStatus[]>;
  /** Restores outputs from the cache. */
  checkout(targets?: readonly string[], options?: CheckoutOptions): Promise<CheckoutResult[]>;
  /** Uploads what the remote lacks. */
  push(targets?: readonly string[], options?: TransferOptions & RemoteChoice): Promise<TransferResult>;
  /** Downloads into the cache what it lacks. */
  fetch(targets?: readonly string[], options?: TransferOptions & RemoteChoice): Promise<TransferResult>;
  /** fetch, then checkout. */
  pull(
    targets?: readonly string[],
    options?: TransferOptions & RemoteChoice & CheckoutOptions,
  ): Promise<{ fetched: TransferResult; checkedOut: CheckoutResult[] }>;
  /**
   * Describes a file or directory (relative to cwd) by content without writing a pointer, reading
   * only what the stat cache cannot vouch for; `commit` also puts its content into the cache.
   * Undefined when nothing is there. (Pipelines hash their deps and outs with this.)
   */
  snapshot(path: string, options?: { commit?: boolean }): Promise<PointerOut | undefined>;
  /** Writes `out` (a snapshot taken earlier) at `path` (relative to cwd) from the cache. */
  restore(path: string, out: PointerOut, options?: CheckoutOptions): Promise<CheckoutResult>;
  /** Uploads the objects of snapshots (paths relative to the root, committed to the cache) that `remote` lacks. */
  pushSnapshots(
    outs: readonly PointerOut[],
    remote: BlobStore,
    options?: TransferOptions,
  ): Promise<TransferResult>;
  /** Downloads into the cache the objects of snapshots (paths relative to the root) it lacks. */
  fetchSnapshots(
    outs: readonly PointerOut[],
    remote: BlobStore,
    options?: TransferOptions,
  ): Promise<TransferResult>;
  /** Removes cache objects no pointer in the workspace refers to. */
  gc(options?: GcOptions): Promise<GcResult>;
  /** The blob store of a remote (the default one when no name is given). */
  openRemote(name?: string): Promise<BlobStore>;
  /** Stops worker threads and closes the stat cache. */
  close(): Promise<void>;
}

/** Opens the data repository of a project, creating `.osprey/` if needed. */
export async function openDataRepo(options: DataRepoOptions): Promise<DataRepo> {
  const layout = projectLayout(options.root);
  const cwd = options.cwd ?? layout.root;
  await ensureStateDir(layout);
  const cores = availableParallelism();
  const jobs = options.jobs ?? Math.min(32, 4 * cores);
  const ownRunner = options.runner === undefined;
  const engine: Engine = {
    cache: openLocalCache(layout.cacheDir),
    statCache: openStatCache(layout.statCacheFile),
    runner: options.runner ?? createFileRunner({ threads: options.threads ?? cores }),
    progress: options.progress ?? silentProgress,
  };
  const remotes = openRemoteRegistry(layout.stateDir);
  const open = options.openRemote ?? createBlobStore;

  const storeOf = (remote: RemoteConfig): BlobStore => {
    const s3: S3Options = { ...options.s3 };
    if (remote.endpoint !== undefined) s3.endpoint = remote.endpoint;
    if (remote.region !== undefined) s3.region = remote.region;
    if (remote.forcePathStyle !== undefined) s3.forcePathStyle = remote.forcePathStyle;
    if (remote.accessKeyId !== undefined) s3.accessKeyId = remote.accessKeyId;
    if (remote.secretAccessKey !== undefined) s3.secretAccessKey = remote.secretAccessKey;
    return open(remoteStoreUri(remote, layout.root), { s3 });
  };
  const openRemote = async (name?: string) => storeOf(await remotes.resolve(name));
  const outs = (targets?: readonly string[]) => resolveOuts(layout, cwd, targets);
  const withJobs = <T extends TransferOptions>(o: T) => ({ ...o, jobs: o.jobs ?? jobs });
  // Snapshots are not tracked by a pointer file: a virtual one at the root stands for them.
  const snapshotOuts = (snaps: readonly PointerOut[]): TrackedOut[] =>
    snaps.map((out) => ({
      pointer: { file: pointerPathOf(resolve(layout.root, out.path)), outs: [out], extra: {} },
      out,
      abs: resolve(layout.root, out.path),
      key: out.path,
    }));

  return {
    layout,
    remotes,
    async add(paths, addOptions) {
      const results: AddResult[] = [];
      for (const path of paths) results.push(await addPath(engine, layout, cwd, path, addOptions));
      return results;
    },
    async status(targets, statusOptions = {}) {
      const remote = statusOptions.remoteStatus ? await openRemote(statusOptions.remote) : undefined;
      const results: OutStatus[] = [];
      for (const out of await outs(targets))
        results.push(await outStatus(engine, layout, out, { remote, jobs }));
      return results;
    },
    async checkout(targets, checkoutOptions) {
      const results: CheckoutResult[] = [];
      for (const out of await outs(targets))
        results.push(await checkoutOut(engine, layout, out, checkoutOptions));
      return results;
    },
    async push(targets, transfer = {}) {
      return pushOuts(engine, await outs(targets), await openRemote(transfer.remote), withJobs(transfer));
    },
    async fetch(targets, transfer = {}) {
      return fetchOuts(engine, await outs(targets), await openRemote(transfer.remote), withJobs(transfer));
    },
    async pull(targets, pullOptions = {}) {
      const selected = await outs(targets);
      const fetched = await fetchOuts(
        engine,
        selected,
        await openRemote(pullOptions.remote),
        withJobs(pullOptions),
      );
      const checkedOut: CheckoutResult[] = [];
      for (const out of selected) checkedOut.push(await checkoutOut(engine, layout, out, pullOptions));
      return { fetched, checkedOut };
    },
    async snapshot(path, snapshotOptions = {}) {
      const abs = resolve(cwd, path);
      const taken = await snapshotPath(engine, abs, rootRelative(layout, abs), {
        follow: false,
        intoCache: snapshotOptions.commit === true,
      });
      return taken?.out;
    },
    async restore(path, out, checkoutOptions) {
      const abs = resolve(cwd, path);
      const pointer = { file: pointerPathOf(abs), outs: [out], extra: {} };
      return checkoutOut(
        engine,
        layout,
        { pointer, out, abs, key: rootRelative(layout, abs) },
        checkoutOptions,
      );
    },
    async pushSnapshots(snaps, remote, transfer = {}) {
      return pushOuts(engine, snapshotOuts(snaps), remote, withJobs(transfer));
    },
    async fetchSnapshots(snaps, remote, transfer = {}) {
      return fetchOuts(engine, snapshotOuts(snaps), remote, withJobs(transfer));
    },
    async gc(gcOptions) {
      const pointers = await Promise.all((await findPointerFiles(layout.root)).map(readPointer));
      return collectGarbage(
        engine,
        pointers.flatMap((p) => outsOf(layout, p)),
        gcOptions,
      );
    },
    openRemote,
    async close() {
      if (ownRunner) await engine.runner.close();
      engine.statCache.close();
    },
  };
}
