import type { Readable } from 'node:stream';
import { type Expression, type SqlBool, sql } from 'kysely';
import { notFound } from '../errors/index.js';
import type { BlobSource } from '../store/blob/index.js';
import { normalizeArtifactPath } from './artifact-path.js';
import type { TrackingDeps } from './deps.js';
import type { ArtifactEntry } from './types.js';

/**
 * Artifacts as a tree of paths under a root (a run id, or a proxy namespace), each file pointing at a
 * content-addressed blob. The bytes never touch a path built from user input, so traversal has nothing
 * to reach; paths are still validated so the tree stays well-formed.
 */
export function createArtifactService({ database, blobs, clock }: TrackingDeps) {
  const { db } = database;

  async function entry(root: string, path: string) {
    const row = await db
      .selectFrom('artifacts')
      .selectAll()
      .where('root', '=', root)
      .where('path', '=', normalizeArtifactPath(path))
      .executeTakeFirst();
    if (!row) throw notFound(`artifact '${path}' not found`);
    return row;
  }

  return {
    /** Streams content into the blob store, then points the path at it (replacing what was there). */
    async upload(root: string, path: string, source: BlobSource): Promise<ArtifactEntry> {
      const clean = normalizeArtifactPath(path);
      const { digest, size } = await blobs.put(source);
      const row = { root, path: clean, digest, size, created_time: clock() };
      await db
        .insertInto('artifacts')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['root', 'path']).doUpdateSet({ digest, size, created_time: row.created_time }),
        )
        .execute();
      return { path: clean, isDir: false, fileSize: size, digest };
    },

    /** A verified stream of one file's bytes, with its size. */
    async download(root: string, path: string): Promise<{ stream: Readable; size: number; digest: string }> {
      const row = await entry(root, path);
      return { stream: await blobs.get(row.digest), size: Number(row.size), digest: row.digest };
    },

    /** Metadata of one file. */
    async stat(root: string, path: string): Promise<ArtifactEntry> {
      const row = await entry(root, path);
      return { path: row.path, isDir: false, fileSize: Number(row.size), digest: row.digest };
    },

    /** The immediate children of a directory (directories first, then files, by name). */
    async list(root: string, dir = ''): Promise<ArtifactEntry[]> {
      const prefix = normalizeArtifactPath(dir, { allowEmpty: true });
      let query = db.selectFrom('artifacts').select(['path', 'size', 'digest']).where('root', '=', root);
      if (prefix) query = query.where(under(prefix));
      const rows = await query.orderBy('path').execute();
      const dirs = new Set<string>();
      const files: ArtifactEntry[] = [];
      const start = prefix ? prefix.length + 1 : 0;
      for (const row of rows) {
        const rest = row.path.slice(start);
        const slash = rest.indexOf('/');
        if (slash >= 0) dirs.add(row.path.slice(0, start + slash));
        else files.push({ path: row.path, isDir: false, fileSize: Number(row.size), digest: row.digest });
      }
      return [...[...dirs].map((path) => ({ path, isDir: true })), ...files];
    },

    /** Every file under a directory, recursively (for downloads of whole trees). */
    async walk(root: string, dir = ''): Promise<ArtifactEntry[]> {
      const prefix = normalizeArtifactPath(dir, { allowEmpty: true });
      let query = db.selectFrom('artifacts').select(['path', 'size', 'digest']).where('root', '=', root);
      if (prefix) query = query.where(under(prefix));
      const rows = await query.orderBy('path').execute();
      return rows.map((row) => ({
        path: row.path,
        isDir: false,
        fileSize: Number(row.size),
        digest: row.digest,
      }));
    },

    /** Removes a file or a whole directory from the tree (blobs stay until garbage collection). */
    async remove(root: string, path: string): Promise<void> {
      const clean = normalizeArtifactPath(path);
      const result = await db
        .deleteFrom('artifacts')
        .where('root', '=', root)
        .where((eb) => eb.or([eb('path', '=', clean), under(clean)]))
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw notFound(`artifact '${path}' not found`);
    },
  };
}

export type ArtifactService = ReturnType<typeof createArtifactService>;

/** `path` lies strictly under `dir` (LIKE with the wildcards in the directory name escaped). */
function under(dir: string): Expression<SqlBool> {
  const pattern = `${dir.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
  return sql<SqlBool>`path like ${pattern} escape '\\'`;
}
