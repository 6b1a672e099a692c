import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { invalidArgument, OspreyError } from '../../../errors/index.js';
import { type ModelPackage, resolveInside, type Signature } from '../../package/index.js';
import type { ModelRuntime, NamedTensors, PredictorOptions, RuntimeFactory } from '../predictor.js';

/**
 * What a `js` flavor module exports (by default as `default`): an object, or a class with a
 * no-argument constructor, with these methods. For custom models and pre/post-processing code.
 */
export interface JsModel {
  /** Called once with the package directory (to read weights, vocabularies, …). */
  load?(dir: string): unknown;
  predict(inputs: NamedTensors): NamedTensors | Promise<NamedTensors>;
  unload?(): unknown;
  /** The signature, when the manifest does not give one. */
  signature?: Signature;
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const isModel = (value: unknown): value is JsModel =>
  value !== null && typeof value === 'object' && typeof (value as JsModel).predict === 'function';

/** `js` flavor: imports the package's ES module and calls its model's load/predict/unload. */
export function createJsRuntime(pkg: ModelPackage, _options: PredictorOptions): ModelRuntime {
  if (pkg.manifest.flavor !== 'js') throw invalidArgument(`package flavor is ${pkg.manifest.flavor}, not js`);
  const { module, export: exportName } = pkg.manifest.js;
  let model: JsModel | undefined;

  return {
    async load() {
      const file = resolveInside(pkg.dir, module, 'js.module');
      // The modification time in the URL makes a changed module load fresh instead of from the
      // ESM cache, which never forgets a URL.
      const url = `${pathToFileURL(file).href}?mtime=${(await stat(file)).mtimeMs}`;
      let namespace: Record<string, unknown>;
      try {
        namespace = (await import(url)) as Record<string, unknown>;
      } catch (error) {
        // A syntax error or a throw at the module's top level: the package's module is broken.
        throw invalidArgument(`cannot import ${file}: ${describe(error)}`);
      }
      const exported = namespace[exportName];
      const candidate =
        typeof exported === 'function' && typeof exported.prototype?.predict === 'function'
          ? new (exported as new () => unknown)()
          : exported;
      if (!isModel(candidate)) {
        throw invalidArgument(
          `${module}: export '${exportName}' must be an object or class with a predict(inputs) method`,
        );
      }
      try {
        await candidate.load?.(pkg.dir);
      } catch (error) {
        if (error instanceof OspreyError) throw error;
        throw invalidArgument(`${file}: load() failed: ${describe(error)}`);
      }
      model = candidate;
      return candidate.signature;
    },
    async predict(inputs) {
      if (!model) throw invalidArgument('js runtime is not loaded');
      return model.predict(inputs);
    },
    async unload() {
      const m = model;
      model = undefined;
      await m?.unload?.();
    },
  };
}

createJsRuntime satisfies RuntimeFactory;
