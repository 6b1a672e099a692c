import { invalidArgument, OspreyError } from '../../errors/index.js';
import { type Flavor, type ModelPackage, readModelPackage, type Signature } from '../package/index.js';
import { createJsRuntime } from './js/js-runtime.js';
import { createOnnxRuntime } from './onnx/onnx-runtime.js';
import type { NamedTensors, Predictor, PredictorOptions, RuntimeFactory } from './predictor.js';
import { createRemoteRuntime } from './remote/remote-runtime.js';
import { checkInputs, checkOutputs } from './signature-check.js';
import { createTfjsRuntime } from './tfjs/tfjs-runtime.js';

/** The runtimes Osprey ships, by flavor. `PredictorOptions.runtimes` adds to or replaces them. */
export const BUILTIN_RUNTIMES: Readonly<Record<Flavor, RuntimeFactory>> = Object.freeze({
  onnx: createOnnxRuntime,
  tfjs: createTfjsRuntime,
  js: createJsRuntime,
  remote: createRemoteRuntime,
});

/**
 * Builds the predictor for a package directory (or an already read package), picking the runtime by
 * the manifest's flavor. The predictor is not loaded yet: call `load()` (or use {@link loadPredictor}).
 */
export async function createPredictor(
  source: string | ModelPackage,
  options: PredictorOptions = {},
): Promise<Predictor> {
  const pkg = typeof source === 'string' ? await readModelPackage(source) : source;
  const flavor = pkg.manifest.flavor;
  const factory = options.runtimes?.[flavor] ?? BUILTIN_RUNTIMES[flavor];
  if (!factory) throw invalidArgument(`no runtime for flavor '${flavor}'`);
  const runtime = factory(pkg, options);
  const declared = pkg.manifest.signature;
  let modelSignature: Signature | undefined;
  let loading: Promise<void> | undefined;
  let loaded = false;

  const predictor: Predictor = {
    flavor,
    package: pkg,
    get signature() {
      return declared ?? modelSignature;
    },
    get loaded() {
      return loaded;
    },
    load() {
      loading ??= runtime.load(declared).then(
        (signature) => {
          modelSignature = signature;
          loaded = true;
        },
        async (error: unknown) => {
          loading = undefined;
          await runtime.unload().catch(() => undefined);
          throw error;
        },
      );
      return loading;
    },
    async predict(inputs: NamedTensors) {
      if (!loaded) throw new OspreyError('UNAVAILABLE', `model ${pkg.dir} is not loaded: call load() first`);
      const signature = predictor.signature;
      const checked = checkInputs(inputs, signature);
      return checkOutputs(await runtime.predict(checked, signature), signature);
    },
    async unload() {
      const wasLoading = loading;
      loading = undefined;
      loaded = false;
      await wasLoading?.catch(() => undefined);
      await runtime.unload();
    },
  };
  return predictor;
}

/** createPredictor followed by load(). */
export async function loadPredictor(source: string | ModelPackage, options: PredictorOptions = {}) {
  const predictor = await createPredictor(source, options);
  await predictor.load();
  return predictor;
}
