import type { BlobStore } from './blob-store.js';

/**
 * A BlobStore whose implementation is created on first use, so that heavy dependencies (the
 * AWS SDK) stay off the start-up path of processes that never touch the store.
 */
export function createLazyBlobStore(uri: string, load: () => Promise<BlobStore>): BlobStore {
  let loading: Promise<BlobStore> | undefined;
  const store = (): Promise<BlobStore> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined; // let a later call retry instead of caching the failure
      throw error;
    });
    return loading;
  };
  return {
    uri,
    put: async (source, expected) => (await store()).put(source, expected),
    putFile: async (path) => (await store()).putFile(path),
    get: async (digest, range) => (await store()).get(digest, range),
    getToFile: async (digest, path) => (await store()).getToFile(digest, path),
    head: async (digest) => (await store()).head(digest),
    async *list() {
      yield* (await store()).list();
    },
    delete: async (digest) => (await store()).delete(digest),
    cleanTemp: async (olderThanMs) => (await store()).cleanTemp(olderThanMs),
  };
}
