import { isOspreyError, notFound, OspreyError } from '../../errors/index.js';
import type { BlobStore } from '../../store/blob/index.js';
import { forEachLimit } from './concurrency.js';
import { localManifest, type ObjectRef, objectsOf, presentIn, uniqueObjects } from './objects.js';
import type { TrackedOut } from './project.js';
import type { Engine } from './workspace-scan.js';

/** Options of push, fetch and pull. */
export interface TransferOptions {
  /** Objects in flight at once (default 4 × cores, at most 32). */
  jobs?: number;
  /** Stops starting new objects; those in flight finish, so a re-run resumes cleanly. */
  signal?: AbortSignal;
}

/** What a transfer did. */
export interface TransferResult {
  /** URI of the remote store. */
  remote: string;
  /** Objects the selected outputs need. */
  total: number;
  /** Objects copied. */
  transferred: number;
  /** Objects the destination already had. */
  skipped: number;
  bytes: number;
}

const MAX_LISTED = 5;

// Copies objects with bounded concurrency. Each object is verified as it is read and published
// atomically by the destination, so an interrupted transfer leaves only whole objects behind
// and running it again moves just the rest.
async function copyAll(
  engine: Engine,
  verb: string,
  refs: readonly ObjectRef[],
  copy: (ref: ObjectRef) => Promise<number>,
  options: TransferOptions & { jobs: number },
): Promise<{ transferred: number; bytes: number }> {
  let transferred = 0;
  let bytes = 0;
  engine.progress.start(
    verb,
    refs.length,
    refs.reduce((a, r) => a + (r.size ?? 0), 0),
  );
  try {
    await forEachLimit(
      refs,
      options.jobs,
      async (ref) => {
        const size = await copy(ref);
        transferred += 1;
        bytes += size;
        engine.progress.advance(1, size);
      },
      options.signal,
    );
  } catch (error) {
    const what = `${verb} stopped after ${transferred} of ${refs.length} objects`;
    const hint = 'run it again to resume (objects already copied are kept)';
    if (isOspreyError(error))
      throw new OspreyError(error.code, `${what}: ${error.message}; ${hint}`, error.details);
    throw new OspreyError('UNAVAILABLE', `${what}: ${(error as Error).message}; ${hint}`);
  } finally {
    engine.progress.stop();
  }
  return { transferred, bytes };
}

/** Uploads the objects of `outs` the remote does not have yet. */
export async function pushOuts(
  engine: Engine,
  outs: readonly TrackedOut[],
  remote: BlobStore,
  options: TransferOptions & { jobs: number },
): Promise<TransferResult> {
  const { cache } = engine;
  const refs: ObjectRef[] = [];
  for (const out of outs) {
    if (out.out.isDir && !cache.has(out.out.digest))
      throw notFound(`the manifest of ${out.key} is not in the local cache: nothing to push for it`);
    refs.push(...objectsOf(out, await localManifest(cache, out)));
  }
  const unique = uniqueObjects(refs);
  const absent = unique.filter((r) => !cache.has(r.digest, r.size));
  if (absent.length > 0)
    throw notFound(
      `${absent.length} object(s) are missing from the local cache (${absent
        .slice(0, MAX_LISTED)
        .map((r) => r.digest.slice(0, 12))
        .join(', ')}): re-add the data or fetch it first`,
    );
  const present = await presentIn(remote, unique, options.jobs);
  const pending = unique.filter((r) => !present.has(r.digest));
  const done = await copyAll(
    engine,
    `pushing to ${remote.uri}`,
    pending,
    async (ref) =>
      (await remote.put(await cache.store.get(ref.digest), { digest: ref.digest, size: ref.size })).size,
    options,
  );
  return { remote: remote.uri, total: unique.length, skipped: unique.length - pending.length, ...done };
}

/** Downloads into the local cache the objects of `outs` it does not have yet (manifests first). */
export async function fetchOuts(
  engine: Engine,
  outs: readonly TrackedOut[],
  remote: BlobStore,
  options: TransferOptions & { jobs: number },
): Promise<TransferResult> {
  const { cache } = engine;
  const fromRemote = async (ref: ObjectRef) => {
    try {
      return (await cache.store.put(await remote.get(ref.digest), { digest: ref.digest, size: ref.size }))
        .size;
    } catch (error) {
      if (isOspreyError(error) && error.code === 'NOT_FOUND')
        throw notFound(`object ${ref.digest} is not on the remote ${remote.uri}`);
      throw error;
    }
  };
  // A directory's entries are known only once its manifest is here.
  const manifests = uniqueObjects(
    outs.filter((o) => o.out.isDir && !cache.has(o.out.digest)).map((o) => ({ digest: o.out.digest })),
  );
  const first = await copyAll(
    engine,
    `fetching manifests from ${remote.uri}`,
    manifests,
    fromRemote,
    options,
  );
  const refs: ObjectRef[] = [];
  for (const out of outs) refs.push(...objectsOf(out, await localManifest(cache, out)));
  const unique = uniqueObjects(refs);
  const pending = unique.filter((r) => !cache.has(r.digest, r.size));
  const rest = await copyAll(engine, `fetching from ${remote.uri}`, pending, fromRemote, options);
  return {
    remote: remote.uri,
    total: unique.length,
    skipped: unique.length - pending.length - first.transferred,
    transferred: first.transferred + rest.transferred,
    bytes: first.bytes + rest.bytes,
  };
}
