import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactEntry, TrackingClient } from '../../client/index.js';
import { invalidArgument } from '../../errors/index.js';
import { MANIFEST_FILE, type ModelManifest } from './manifest-schema.js';
import { isSafeRelativePath } from './package-path.js';
import { readModelPackage } from './read-package.js';

/** What {@link logModel} returns: the model's `runs:/` URI and the uploaded artifacts. */
export interface LoggedModel {
  uri: string;
  manifest: ModelManifest;
  artifacts: ArtifactEntry[];
}

/**
 * Uploads a model package directory as artifacts of a run under `artifactPath`, and returns its
 * `runs:/<runId>/<artifactPath>` URI. The package is validated first; the manifest is uploaded last,
 * so an interrupted upload leaves no half package that reads as complete.
 */
export async function logModel(
  client: Pick<TrackingClient, 'uploadArtifact'>,
  runId: string,
  artifactPath: string,
  packageDir: string,
): Promise<LoggedModel> {
  const prefix = typeof artifactPath === 'string' ? artifactPath.replace(/^\/+|\/+$/g, '') : '';
  if (!isSafeRelativePath(prefix)) {
    throw invalidArgument(`artifact path '${String(artifactPath)}' must be a relative path such as 'model'`);
  }
  const pkg = await readModelPackage(packageDir);
  const files = (await listFiles(pkg.dir, '')).sort((a, b) =>
    a === MANIFEST_FILE ? 1 : b === MANIFEST_FILE ? -1 : a.localeCompare(b),
  );
  const artifacts: ArtifactEntry[] = [];
  for (const rel of files) {
    artifacts.push(await client.uploadArtifact(runId, `${prefix}/${rel}`, { file: join(pkg.dir, rel) }));
  }
  return { uri: `runs:/${runId}/${prefix}`, manifest: pkg.manifest, artifacts };
}

// Package-relative paths of every regular file (symlinks followed) under `dir`.
async function listFiles(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    const info = entry.isSymbolicLink() ? await stat(join(root, child)) : entry;
    if (info.isDirectory()) out.push(...(await listFiles(root, child)));
    else if (info.isFile()) out.push(child);
  }
  return out;
}
