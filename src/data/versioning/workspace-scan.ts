import { createLimiter } from './concurrency.js';
import type { FileFacts, FileJob } from './file-ops.js';
import type { FileRunner } from './file-runner.js';
import { jobError } from './job-error.js';
import type { LocalCache } from './local-cache.js';
import { manifestMode } from './manifest.js';
import type { ProgressReporter } from './progress.js';
import { type StatCache, type StatRecord, trustedDigest } from './stat-cache.js';
import { type WalkedFile, walkOut } from './walk.js';

/** What data versioning works with: the project's cache, stat cache and file-job runner. */
export interface Engine {
  cache: LocalCache;
  statCache: StatCache;
  runner: FileRunner;
  progress: ProgressReporter;
}

/** A workspace file with its content digest. */
export interface ScannedFile {
  /** Relative to the tracked path ('' for a tracked file). */
  rel: string;
  abs: string;
  digest: string;
  size: number;
  /** Manifest mode (0o644 or 0o755). */
  mode: number;
}

/** The state of a tracked path in the workspace. `hashed` counts the files actually read. */
export type Scan =
  | { kind: 'missing' }
  | { kind: 'file'; file: ScannedFile; hashed: number }
  | { kind: 'dir'; files: ScannedFile[]; hashed: number };

/** Options of {@link scanOut}. */
export interface ScanOptions {
  follow: boolean;
  /** Also make sure every file's content is in the cache (add); otherwise only hash (status). */
  intoCache: boolean;
  /** For the progress label. */
  label: string;
  /** Objects fsynced and renamed into the cache at once (default 16). */
  publishConcurrency?: number;
}

const statKey = (key: string, file: WalkedFile) => (file.rel === '' ? key : `${key}/${file.rel}`);

/**
 * Digests of every file at `abs` (stat-cache key `key`), reading only files whose
 * (inode, size, mtime) changed since they were last read. With `intoCache`, new content is
 * copied into the cache in the same pass as it is hashed, and published atomically.
 */
export async function scanOut(engine: Engine, abs: string, key: string, options: ScanOptions): Promise<Scan> {
  const { cache, statCache, runner, progress } = engine;
  const walked = walkOut(abs, options.follow);
  if (walked.kind === 'missing') return walked;
  const files = walked.kind === 'file' ? [walked.file] : walked.files;
  const known = statCache.load(key);
  const digests = new Array<string | undefined>(files.length);
  const pending: number[] = [];
  files.forEach((file, i) => {
    const path = statKey(key, file);
    const digest = trustedDigest(known.get(path), {
      path,
      ino: file.ino,
      size: file.size,
      mtimeNs: file.mtimeNs,
    });
    digests[i] = digest;
    if (digest === undefined || (options.intoCache && !cache.has(digest, file.size))) pending.push(i);
  });

  const records: StatRecord[] = [];
  if (pending.length > 0) {
    const jobs: FileJob[] = pending.map((i) => {
      const path = files[i]!.abs;
      return options.intoCache
        ? { op: 'import', path, follow: options.follow, temp: cache.tempPath() }
        : { op: 'hash', path, follow: options.follow };
    });
    const sizes = pending.map((i) => files[i]!.size);
    const publishing = createLimiter(options.publishConcurrency ?? 16);
    progress.start(`${options.intoCache ? 'adding' : 'hashing'} ${options.label}`, jobs.length, sum(sizes));
    const accept = (index: number, facts: FileFacts) => {
      const file = files[index]!;
      digests[index] = facts.digest;
      // The worker's fstat describes the bytes it read, which may be newer than the walk's.
      file.size = facts.size;
      file.mode = facts.mode;
      records.push({
        path: statKey(key, file),
        ino: facts.ino,
        size: facts.size,
        mtimeNs: facts.mtimeNs,
        digest: facts.digest,
        hashedAtNs: facts.readAtNs,
      });
    };
    let firstError: Error | undefined;
    try {
      await runner.run(jobs, {
        sizes,
        onProgress: (p) => progress.advance(p.files, p.bytes),
        onBatch: (start, results) => {
          results.forEach((result, offset) => {
            const job = jobs[start + offset]!;
            const index = pending[start + offset]!;
            if (!result.ok) {
              firstError ??= jobError(result.error, files[index]!.abs);
              return;
            }
            accept(index, result.value);
            if (job.op === 'import') {
              const { digest, size } = result.value;
              publishing.schedule(() => cache.publish({ temp: job.temp, digest, size }));
            }
          });
        },
      });
      await publishing.drain();
      if (options.intoCache) await cache.syncPublished();
    } finally {
      progress.stop();
      statCache.record(records);
    }
    if (firstError) throw firstError;
  }
  // Forget records of files that are gone, so the stat cache does not grow without bound.
  const present = new Set(files.map((f) => statKey(key, f)));
  statCache.forget([...known.keys()].filter((path) => !present.has(path)));

  const scanned = files.map((file, i) => ({
    rel: file.rel,
    abs: file.abs,
    digest: digests[i]!,
    size: file.size,
    mode: manifestMode(file.mode),
  }));
  return walked.kind === 'file'
    ? { kind: 'file', file: scanned[0]!, hashed: pending.length }
    : { kind: 'dir', files: scanned, hashed: pending.length };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
