import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactEntry, TrackingClient } from '../../client/index.js';
import { invalidArgument, notFound, OspreyError } from '../../errors/index.js';
import { MANIFEST_FILE } from './manifest-schema.js';
import { parseModelUri } from './model-uri.js';
import { isSafeRelativePath, resolveInside } from './package-path.js';

/** The part of a tracking client fetchModel reads run artifacts through. */
export type ArtifactReader = Pick<TrackingClient, 'listArtifacts' | 'downloadArtifact'>;

/** Maps a `models:/` URI to where its files are (a `runs:/` URI or a path): the registry's resolve. */
export type ResolveModel = (uri: string) => Promise<{ source: string }>;

/** What {@link fetchModel} needs: a cache directory, and the readers for the URI schemes used. */
export interface FetchModelDeps {
  /** Root of the local model cache (e.g. `<home>/.osprey/models`). */
  cacheDir: string;
  /** Required for `runs:/` URIs (and `models:/` versions whose source is one). */
  tracking?: ArtifactReader;
  /** Required for `models:/` URIs. */
  resolveModel?: ResolveModel;
  /** Parallel downloads (default 4). */
  concurrency?: number;
  /** Base for relative local paths (default the process working directory). */
  cwd?: string;
}

/** A model materialised on local disk. */
export interface FetchedModel {
  /** Local directory holding the package. */
  dir: string;
  /** The URI that was fetched. */
  uri: string;
  /** Where a `models:/` URI pointed. */
  source?: string;
  runId?: string;
  artifactPath?: string;
  /** True when the files were already in the cache. */
  cached: boolean;
}

const MAX_DEPTH = 32;

/**
 * Materialises a model URI as a local directory. `runs:/<runId>/<path>` is downloaded into
 * `<cacheDir>/runs/<key>`, where the key hashes the run id, the path and every file's digest and size
 * (so a re-logged model gets a new entry); files land in a temp directory that is renamed into place
 * only when complete and verified. `models:/<name>/<version|@alias>` is resolved to its source first.
 * A local path or `file:` URL is returned as it is.
 */
export async function fetchModel(uri: string, deps: FetchModelDeps): Promise<FetchedModel> {
  const parsed = parseModelUri(uri, deps.cwd);
  if (parsed.kind === 'path') {
    const info = await stat(parsed.path).catch(() => undefined);
    if (!info?.isDirectory()) throw notFound(`model directory not found: ${parsed.path}`);
    return { dir: parsed.path, uri, cached: false };
  }
  if (parsed.kind === 'run') return fetchRun(uri, parsed.runId, parsed.path, deps);
  if (!deps.resolveModel) {
    throw invalidArgument(`cannot resolve ${uri}: no model registry was given to fetchModel`);
  }
  const { source } = await deps.resolveModel(parsed.uri);
  if (typeof source !== 'string' || source.startsWith('models:/')) {
    throw invalidArgument(`${uri} resolves to '${String(source)}', which is not a runs:/ URI or a path`);
  }
  return { ...(await fetchModel(source, deps)), uri, source };
}

async function fetchRun(
  uri: string,
  runId: string,
  path: string,
  deps: FetchModelDeps,
): Promise<FetchedModel> {
  if (!deps.tracking)
    throw invalidArgument(`cannot fetch ${uri}: no tracking client was given to fetchModel`);
  const files = await listTree(deps.tracking, runId, path);
  if (files.length === 0) throw notFound(`no artifacts under ${uri}`);
  // Refuse before downloading anything: without a manifest the files are not a model package.
  if (!files.some((f) => f.rel === MANIFEST_FILE)) {
    const found = files.slice(0, 5).map((f) => f.rel);
    throw notFound(
      `${uri} is not a model package: it has no ${MANIFEST_FILE} (found ${found.join(', ')}${files.length > 5 ? ', …' : ''})`,
    );
  }
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        runId,
        path,
        files.map((f) => [f.rel, f.entry.digest ?? null, f.entry.fileSize ?? null]),
      ]),
    )
    .digest('hex')
    .slice(0, 32);
  const cacheRoot = resolve(deps.cacheDir);
  const target = join(cacheRoot, 'runs', key);
  const result = { uri, runId, artifactPath: path, dir: target };
  if ((await stat(target).catch(() => undefined))?.isDirectory()) return { ...result, cached: true };

  await mkdir(join(cacheRoot, 'tmp'), { recursive: true });
  await mkdir(dirname(target), { recursive: true });
  const temp = await mkdtemp(join(cacheRoot, 'tmp', 'fetch-'));
  try {
    const queue = [...files];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        await downloadFile(deps.tracking!, runId, file.entry, resolveInside(temp, file.rel, 'artifact'));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
    await rename(temp, target);
    return { ...result, cached: false };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    // Another fetch of the same content finished first: its copy is as good as ours.
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return { ...result, cached: true };
    throw error;
  }
}

interface TreeFile {
  rel: string;
  entry: ArtifactEntry;
}

// Every file under `path`, with its path relative to `path`; listing entries that would leave the
// directory (a hostile or broken server) are refused before anything touches the disk.
async function listTree(
  tracking: ArtifactReader,
  runId: string,
  path: string,
  depth = 0,
): Promise<TreeFile[]> {
  if (depth > MAX_DEPTH)
    throw invalidArgument(`artifact tree under '${path}' is deeper than ${MAX_DEPTH} levels`);
  const out: TreeFile[] = [];
  for (const entry of await tracking.listArtifacts(runId, path)) {
    const child = typeof entry.path === 'string' ? entry.path : '';
    const rel = child.startsWith(`${path}/`) ? child.slice(path.length + 1) : undefined;
    if (rel === undefined || !isSafeRelativePath(rel)) {
      throw invalidArgument(`artifact listing of '${path}' returned an unsafe path '${child}'`);
    }
    if (entry.isDir) {
      for (const f of await listTree(tracking, runId, child, depth + 1)) {
        out.push({ rel: `${rel}/${f.rel}`, entry: f.entry });
      }
    } else out.push({ rel, entry });
  }
  return out;
}

async function downloadFile(tracking: ArtifactReader, runId: string, entry: ArtifactEntry, dest: string) {
  await mkdir(dirname(dest), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(
    await tracking.downloadArtifact(runId, entry.path),
    meter,
    createWriteStream(dest, { flags: 'wx' }),
  );
  const digest = hash.digest('hex');
  const expectDigest = entry.digest && /^[0-9a-f]{64}$/.test(entry.digest) ? entry.digest : undefined;
  if (
    (entry.fileSize !== undefined && entry.fileSize !== size) ||
    (expectDigest && expectDigest !== digest)
  ) {
    throw new OspreyError(
      'INTERNAL',
      `artifact '${entry.path}' arrived corrupted (size or SHA-256 mismatch)`,
    );
  }
}
