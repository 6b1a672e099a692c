// Content-addressed blob store: blobs are named by the SHA-256 of their bytes, streamed in and
// out (never whole in memory), published atomically only once hashed and checked, and verified
// again on every full read. createBlobStore() picks the local-directory or S3 implementation by
// URI; the S3 one (and the AWS SDK) is loaded only on first use.
export { writeFileAtomically } from './atomic-file.js';
export type { BlobInfo, BlobSource, BlobStore, ByteRange, S3Options } from './blob-store.js';
export { type BlobStoreOptions, createBlobStore } from './create-blob-store.js';
export { assertDigest, isDigest } from './digest.js';
export { createFileBlobStore, type FileBlobStore } from './file-blob-store.js';
export { sha256File } from './sha256-file.js';
