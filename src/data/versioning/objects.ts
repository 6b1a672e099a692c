import type { BlobStore } from '../../store/blob/index.js';
import { forEachLimit } from './concurrency.js';
import type { LocalCache } from './local-cache.js';
import type { Manifest } from './manifest.js';
import type { TrackedOut } from './project.js';

/** An object a pointer refers to; `size` is unknown for a manifest until it has been read. */
export interface ObjectRef {
  digest: string;
  size?: number;
}

/**
 * The objects an out needs: its file, or its manifest plus every entry's content. Entries are
 * known only if `manifest` is given (undefined: the manifest itself is not available).
 */
export function objectsOf(out: TrackedOut, manifest: Manifest | undefined): ObjectRef[] {
  if (!out.out.isDir) return [{ digest: out.out.digest, size: out.out.size }];
  const refs: ObjectRef[] = [{ digest: out.out.digest }];
  for (const entry of manifest?.entries ?? []) refs.push({ digest: entry.digest, size: entry.size });
  return refs;
}

/** The out's manifest from the local cache, or undefined when it is a file or the manifest is absent. */
export async function localManifest(cache: LocalCache, out: TrackedOut): Promise<Manifest | undefined> {
  if (!out.out.isDir || !cache.has(out.out.digest)) return undefined;
  return cache.readManifest(out.out.digest);
}

/** Removes duplicate digests (the same content at several paths is one object). */
export function uniqueObjects(refs: readonly ObjectRef[]): ObjectRef[] {
  const seen = new Map<string, ObjectRef>();
  for (const ref of refs)
    if (!seen.has(ref.digest) || seen.get(ref.digest)?.size === undefined) seen.set(ref.digest, ref);
  return [...seen.values()];
}

// One LIST request returns up to 1,000 keys where HEAD costs a request per object: past this
// many objects, listing the store is cheaper than asking for each (DVC's "remote index" idea).
const LIST_THRESHOLD = 256;

/** The digests of `refs` that `store` holds (with the expected size, when known). */
export async function presentIn(
  store: BlobStore,
  refs: readonly ObjectRef[],
  jobs: number,
): Promise<Set<string>> {
  const present = new Set<string>();
  if (refs.length > LIST_THRESHOLD) {
    const wanted = new Map(refs.map((r) => [r.digest, r.size]));
    for await (const info of store.list()) {
      if (!wanted.has(info.digest)) continue;
      const size = wanted.get(info.digest);
      if (size === undefined || size === info.size) present.add(info.digest);
    }
    return present;
  }
  await forEachLimit(refs, jobs, async (ref) => {
    const info = await store.head(ref.digest);
    if (info !== undefined && (ref.size === undefined || info.size === ref.size)) present.add(ref.digest);
  });
  return present;
}
