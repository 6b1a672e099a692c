// The per-file work (hash, import into the cache, restore from it) as plain synchronous
// functions: a worker thread runs them on batches, and the main thread runs them directly when
// a batch is too small to be worth a thread hop. Synchronous calls keep a small file at one
// open/read/close with no event-loop round trips, which is where many-small-file time goes.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fstatSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';

/** How checkout materialises a file: a verified copy, a hard link or a reflink to the cache object. */
export type LinkKind = 'copy' | 'hardlink' | 'reflink';

/** Hash a workspace file. */
export interface HashJob {
  op: 'hash';
  path: string;
  follow: boolean;
}
/** Hash a workspace file while copying it to `temp` (in the cache's temp directory). */
export interface ImportJob {
  op: 'import';
  path: string;
  follow: boolean;
  temp: string;
}
/** Write cache object `object` to `target` through `temp` (same directory), verifying `digest`. */
export interface RestoreJob {
  op: 'restore';
  object: string;
  target: string;
  temp: string;
  digest: string;
  size: number;
  mode: number;
  how: LinkKind;
}
export type FileJob = HashJob | ImportJob | RestoreJob;

/** What was read (or written): content digest and the file's identity at that moment. */
export interface FileFacts {
  digest: string;
  size: number;
  ino: bigint;
  mtimeNs: bigint;
  /** Permission bits. */
  mode: number;
  /** Wall-clock ns just before the bytes were read (for the stat cache's racy-file check). */
  readAtNs: bigint;
}

/** A job's error in a form that crosses a thread boundary. */
export interface JobError {
  code?: string;
  message: string;
}
export type JobResult = { ok: true; value: FileFacts } | { ok: false; error: JobError };

/** Read size per call; files at most this big are hashed with a single read. */
export const CHUNK_SIZE = 4 * 1024 * 1024;
/** Told the byte count of each chunk processed, for progress on big files. */
export type BytesCallback = (bytes: number) => void;

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

// Streams fd through SHA-256 (and into `sink` if given); returns the digest and byte count.
function pump(
  fd: number,
  buffer: Buffer,
  sink?: number,
  onBytes?: BytesCallback,
): { digest: string; size: number } {
  const hash = createHash('sha256');
  let size = 0;
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) break;
    const chunk = buffer.subarray(0, n);
    hash.update(chunk);
    if (sink !== undefined) writeAll(sink, chunk);
    size += n;
    onBytes?.(n);
  }
  return { digest: hash.digest('hex'), size };
}

// Hashes a workspace file (copying it to `temp` if given) and checks it did not change meanwhile.
function readWorkspaceFile(
  path: string,
  follow: boolean,
  buffer: Buffer,
  temp: string | undefined,
  onBytes?: BytesCallback,
): FileFacts {
  const readAtNs = nowNs();
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (follow ? 0 : NO_FOLLOW));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new JobFailure(
        'INVALID_ARGUMENT',
        `${path} is a symlink (pass --follow-symlinks to track its target)`,
      );
    throw error;
  }
  let out: number | undefined;
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) throw new JobFailure('INVALID_ARGUMENT', `${path} is not a regular file`);
    if (temp !== undefined) out = openSync(temp, 'wx', 0o644);
    const { digest, size } = pump(fd, buffer, out, onBytes);
    // Cache objects are read-only: nothing should edit content-addressed bytes in place.
    if (out !== undefined) fchmodSync(out, 0o444);
    const after = fstatSync(fd, { bigint: true });
    if (after.size !== before.size || after.mtimeNs !== before.mtimeNs || BigInt(size) !== before.size)
      throw new JobFailure('CONFLICT', `${path} changed while it was being read; try again`);
    return {
      digest,
      size,
      ino: before.ino,
      mtimeNs: before.mtimeNs,
      mode: Number(before.mode & 0o7777n),
      readAtNs,
    };
  } catch (error) {
    if (out !== undefined) {
      closeSync(out);
      out = undefined;
      unlinkSync(temp!);
    }
    throw error;
  } finally {
    closeSync(fd);
    if (out !== undefined) closeSync(out);
  }
}

function hashPath(path: string, buffer: Buffer, onBytes?: BytesCallback): { digest: string; size: number } {
  const fd = openSync(path, 'r');
  try {
    return pump(fd, buffer, undefined, onBytes);
  } finally {
    closeSync(fd);
  }
}

function corrupted(job: RestoreJob, got: { digest: string; size: number }): JobFailure {
  return new JobFailure(
    'INTERNAL',
    `cache object ${job.digest} is corrupted (read ${got.size} bytes hashing to ${got.digest}); ` +
      'delete it and fetch it again',
  );
}

// Writes the object to the temp name, verifying it, then renames over the target: a reader of
// the target sees the old file or the complete new one, and a symlink at the target is replaced,
// never written through.
function restore(job: RestoreJob, buffer: Buffer, onBytes?: BytesCallback): FileFacts {
  const readAtNs = nowNs();
  try {
    if (job.how === 'copy') {
      const input = openSync(job.object, 'r');
      let got: { digest: string; size: number };
      try {
        const output = openSync(job.temp, 'wx', job.mode);
        try {
          got = pump(input, buffer, output, onBytes);
        } finally {
          closeSync(output);
        }
      } finally {
        closeSync(input);
      }
      if (got.digest !== job.digest || got.size !== job.size) throw corrupted(job, got);
    } else {
      // Links share the object's bytes, so verify the object itself first.
      const got = hashPath(job.object, buffer, onBytes);
      if (got.digest !== job.digest || got.size !== job.size) throw corrupted(job, got);
      if (job.how === 'hardlink') linkSync(job.object, job.temp);
      else {
        copyFileSync(job.object, job.temp, constants.COPYFILE_FICLONE_FORCE);
        chmodSync(job.temp, job.mode); // the clone took the object's read-only mode
      }
    }
    renameSync(job.temp, job.target);
  } catch (error) {
    try {
      unlinkSync(job.temp);
    } catch {
      // never created
    }
    throw error;
  }
  const stats = statSync(job.target, { bigint: true });
  return {
    digest: job.digest,
    size: job.size,
    ino: stats.ino,
    mtimeNs: stats.mtimeNs,
    mode: Number(stats.mode & 0o7777n),
    readAtNs,
  };
}

/** Runs one job; never throws (failures come back as JobResult errors). */
export function runFileJob(job: FileJob, buffer: Buffer, onBytes?: BytesCallback): JobResult {
  try {
    switch (job.op) {
      case 'hash':
        return { ok: true, value: readWorkspaceFile(job.path, job.follow, buffer, undefined, onBytes) };
      case 'import':
        return { ok: true, value: readWorkspaceFile(job.path, job.follow, buffer, job.temp, onBytes) };
      case 'restore':
        return { ok: true, value: restore(job, buffer, onBytes) };
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, error: { code: e.code, message: e.message } };
  }
}
