import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { alreadyExists, invalidArgument, notFound } from '../../errors/index.js';

/** A configured remote, with the settings of both config files merged. */
export interface RemoteConfig {
  name: string;
  /** A directory path (relative to the project root), file://, or s3://bucket/prefix. */
  url: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  isDefault: boolean;
}

/** Settings accepted by {@link RemoteRegistry.add}. */
export interface RemoteSettings {
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /** Written to the untracked config.local.yaml, never to config.yaml. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Make it the default remote (the first remote added always is). */
  default?: boolean;
  /** Replace a remote of the same name. */
  force?: boolean;
}

/** Remotes in `.osprey/config.yaml` (meant for git) and `.osprey/config.local.yaml` (credentials; ignored). */
export interface RemoteRegistry {
  list(): Promise<RemoteConfig[]>;
  add(name: string, url: string, settings?: RemoteSettings): Promise<RemoteConfig>;
  remove(name: string): Promise<void>;
  setDefault(name: string): Promise<void>;
  /** The named remote, or the default one; NOT_FOUND with a hint when none is configured. */
  resolve(name?: string): Promise<RemoteConfig>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SECRET_KEYS = ['accessKeyId', 'secretAccessKey'] as const;
const SHARED_KEYS = ['endpoint', 'region', 'forcePathStyle'] as const;

function checkName(name: string): string {
  if (!NAME.test(name))
    throw invalidArgument(`invalid remote name ${JSON.stringify(name)}: letters, digits, '.', '_' and '-'`);
  return name;
}

/** Checks a remote URL's scheme: a path, file:// or s3:// (any blob store URI). */
export function checkRemoteUrl(url: string): string {
  if (typeof url !== 'string' || url.trim() === '') throw invalidArgument('remote URL must be non-empty');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'file' && scheme !== 's3')
    throw invalidArgument(
      `unsupported remote URL ${JSON.stringify(url)}: use a directory path, file:// or s3://bucket/prefix`,
    );
  return url;
}

/** The blob store URI of a remote: relative directory paths are taken from the project root. */
export function remoteStoreUri(remote: RemoteConfig, root: string): string {
  return remote.url.includes('://') || isAbsolute(remote.url) ? remote.url : resolve(root, remote.url);
}

async function loadDoc(file: string) {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw invalidArgument(`${file} is not valid YAML: ${doc.errors[0]?.message}`);
  if (doc.contents !== null && !isMap(doc.contents))
    throw invalidArgument(`${file} must hold a YAML mapping`);
  return doc;
}

type Doc = Awaited<ReturnType<typeof loadDoc>>;

async function saveDoc(file: string, doc: Doc): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, doc.toString(), { flag: 'wx', mode: 0o600 });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

function remotesOf(doc: Doc): Record<string, Record<string, unknown>> {
  const value = doc.getIn(['data', 'remotes']);
  const plain =
    value && typeof value === 'object' && 'toJSON' in value
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  return plain && typeof plain === 'object' ? (plain as Record<string, Record<string, unknown>>) : {};
}

/** The remote registry over `<stateDir>/config.yaml` and `<stateDir>/config.local.yaml`. */
export function openRemoteRegistry(stateDir: string): RemoteRegistry {
  const shared = join(stateDir, 'config.yaml');
  const local = join(stateDir, 'config.local.yaml');

  async function list(): Promise<RemoteConfig[]> {
    const [sharedDoc, localDoc] = await Promise.all([loadDoc(shared), loadDoc(local)]);
    const secrets = remotesOf(localDoc);
    const defaultName =
      localDoc.getIn(['data', 'defaultRemote']) ?? sharedDoc.getIn(['data', 'defaultRemote']);
    return Object.entries(remotesOf(sharedDoc)).map(([name, raw]) => {
      const merged = { ...raw, ...(secrets[name] ?? {}) };
      if (typeof merged.url !== 'string') throw invalidArgument(`remote ${name} in ${shared} has no url`);
      const remote: RemoteConfig = { name, url: merged.url, isDefault: name === defaultName };
      for (const key of [...SHARED_KEYS, ...SECRET_KEYS]) {
        if (merged[key] !== undefined) Object.assign(remote, { [key]: merged[key] });
      }
      return remote;
    });
  }

  return {
    list,
    async add(name, url, settings = {}) {
      checkName(name);
      checkRemoteUrl(url);
      const [sharedDoc, localDoc] = await Promise.all([loadDoc(shared), loadDoc(local)]);
      const existing = remotesOf(sharedDoc);
      if (existing[name] !== undefined && !settings.force)
        throw alreadyExists(`remote ${name} already exists (pass --force to replace it)`);
      const entry: Record<string, unknown> = { url };
      for (const key of SHARED_KEYS) if (settings[key] !== undefined) entry[key] = settings[key];
      sharedDoc.setIn(['data', 'remotes', name], entry);
      if (settings.default || Object.keys(existing).filter((n) => n !== name).length === 0)
        sharedDoc.setIn(['data', 'defaultRemote'], name);
      const secret: Record<string, unknown> = {};
      for (const key of SECRET_KEYS) if (settings[key] !== undefined) secret[key] = settings[key];
      if (Object.keys(secret).length > 0) {
        localDoc.setIn(['data', 'remotes', name], secret);
        await saveDoc(local, localDoc);
      } else if (settings.force && localDoc.hasIn(['data', 'remotes', name])) {
        localDoc.deleteIn(['data', 'remotes', name]);
        await saveDoc(local, localDoc);
      }
      await saveDoc(shared, sharedDoc);
      return (await list()).find((r) => r.name === name)!;
    },
    async remove(name) {
      const [sharedDoc, localDoc] = await Promise.all([loadDoc(shared), loadDoc(local)]);
      if (remotesOf(sharedDoc)[name] === undefined) throw notFound(`no remote named ${name}`);
      sharedDoc.deleteIn(['data', 'remotes', name]);
      if (sharedDoc.getIn(['data', 'defaultRemote']) === name) sharedDoc.deleteIn(['data', 'defaultRemote']);
      await saveDoc(shared, sharedDoc);
      if (localDoc.hasIn(['data', 'remotes', name])) {
        localDoc.deleteIn(['data', 'remotes', name]);
        await saveDoc(local, localDoc);
      }
    },
    async setDefault(name) {
      const sharedDoc = await loadDoc(shared);
      if (remotesOf(sharedDoc)[name] === undefined) throw notFound(`no remote named ${name}`);
      sharedDoc.setIn(['data', 'defaultRemote'], name);
      await saveDoc(shared, sharedDoc);
    },
    async resolve(name) {
      const remotes = await list();
      if (name !== undefined) {
        const found = remotes.find((r) => r.name === name);
        if (!found) throw notFound(`no remote named ${name} (see \`osprey data remote list\`)`);
        return found;
      }
      const chosen = remotes.find((r) => r.isDefault) ?? (remotes.length === 1 ? remotes[0] : undefined);
      if (!chosen)
        throw notFound(
          remotes.length === 0
            ? 'no remote configured: add one with `osprey data remote add <name> <url>`'
            : 'several remotes and no default: pass --remote <name> or run `osprey data remote default <name>`',
        );
      return chosen;
    },
  };
}
