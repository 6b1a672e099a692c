import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalidArgument, notFound } from '../../errors/index.js';
import {
  createPredictor,
  type FetchModelDeps,
  fetchModel,
  loadPredictor,
  ospreyVersion,
  type Predictor,
  type PredictorOptions,
  validateManifest,
} from '../../models/index.js';
import type { NodeSpec } from '../deployment/index.js';
import type { NodeComponent, NodeFactory } from './graph-types.js';

/** What the real node factory needs: how to fetch model URIs, predictor options, a base directory. */
export interface NodeFactoryDeps {
  /** Cache directory, registry resolver and tracking client for `models:/` and `runs:/` URIs. */
  fetch: FetchModelDeps;
  /** Options of every predictor; a node's `workers` and `threads` override the ONNX ones. */
  predictor?: PredictorOptions;
  /** Directory relative model and module paths resolve against (default the fetch cwd, else the process's). */
  baseDir?: string;
}

const METHODS = [
  'predict',
  'transformInput',
  'transformOutput',
  'route',
  'aggregate',
  'sendFeedback',
] as const;

function predictorComponent(predictor: Predictor, version?: string): NodeComponent {
  return {
    get signature() {
      return predictor.signature;
    },
    ...(version !== undefined ? { version } : {}),
    predict: (inputs) => predictor.predict(inputs),
    ready: () => predictor.loaded,
    unload: () => predictor.unload(),
  };
}

function optionsFor(node: NodeSpec, base: PredictorOptions | undefined): PredictorOptions {
  const onnx = {
    ...base?.onnx,
    ...(node.workers !== undefined ? { workers: node.workers } : {}),
    ...(node.threads !== undefined ? { intraOpNumThreads: node.threads } : {}),
  };
  return { ...base, onnx };
}

/** `http://host/v2/models/<name>[/versions/<v>]` taken apart into the remote flavor's settings. */
export function parseOipModelUrl(url: string): { url: string; model: string; version?: string } {
  const parsed = new URL(url);
  const match = /^(.*?)\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/?$/.exec(parsed.pathname);
  if (!match)
    throw invalidArgument(`'${url}' is not an Open Inference Protocol model URL (…/v2/models/<name>)`);
  const base = `${parsed.origin}${match[1]}`;
  const model = decodeURIComponent(match[2]!);
  return match[3] === undefined
    ? { url: base, model }
    : { url: base, model, version: decodeURIComponent(match[3]) };
}

async function loadModule(node: NodeSpec, baseDir: string): Promise<NodeComponent> {
  const file = resolve(baseDir, node.module!);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw notFound(`module not found: ${file}`);
  // The modification time in the URL makes an edited module load fresh instead of from the ESM cache.
  const namespace = (await import(`${pathToFileURL(file).href}?mtime=${info.mtimeMs}`)) as Record<
    string,
    unknown
  >;
  const name = node.export ?? 'default';
  const exported = namespace[name];
  const isClass =
    typeof exported === 'function' &&
    METHODS.some(
      (m) => typeof (exported.prototype as Record<string, unknown> | undefined)?.[m] === 'function',
    );
  const instance = (isClass ? new (exported as new () => unknown)() : exported) as Record<
    string,
    unknown
  > | null;
  if (
    instance === null ||
    typeof instance !== 'object' ||
    !METHODS.some((m) => typeof instance[m] === 'function')
  ) {
    throw invalidArgument(
      `${file}: export '${name}' must be an object or class with one of ${METHODS.join(', ')}`,
    );
  }
  if (typeof instance.load === 'function') await instance.load(node.parameters ?? {});
  return instance as NodeComponent;
}

/**
 * The real node factory: `model` URIs are fetched (registry aliases resolved, runs downloaded into
 * the cache) and loaded as predictors of any flavor; `url` becomes a remote (OIP) predictor; `module`
 * is imported and its export (object or class) used as the node's code, after `load(parameters)`.
 */
export function createNodeFactory(deps: NodeFactoryDeps): NodeFactory {
  const baseDir = deps.baseDir ?? deps.fetch.cwd ?? process.cwd();
  return {
    async load(node) {
      if (node.module !== undefined) return loadModule(node, baseDir);
      if (node.url !== undefined) {
        const pkg = {
          dir: baseDir,
          manifest: validateManifest({
            formatVersion: 1,
            flavor: 'remote',
            remote: parseOipModelUrl(node.url),
            metadata: { createdAt: new Date().toISOString(), ospreyVersion: ospreyVersion() },
          }),
        };
        const predictor = await createPredictor(pkg, deps.predictor);
        await predictor.load();
        return predictorComponent(predictor);
      }
      if (node.model === undefined)
        throw invalidArgument(`node '${node.name}' names no model, module or url`);
      let source = node.model;
      let version: string | undefined;
      if (source.startsWith('models:/') && deps.fetch.resolveModel) {
        // Resolved here (not inside fetchModel) to learn which version an alias pointed at.
        const resolved = (await deps.fetch.resolveModel(source)) as { source: string; version?: unknown };
        source = resolved.source;
        version = resolved.version === undefined ? undefined : String(resolved.version);
      }
      const fetched = await fetchModel(source, { ...deps.fetch, cwd: baseDir });
      return predictorComponent(await loadPredictor(fetched.dir, optionsFor(node, deps.predictor)), version);
    },
  };
}
