import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { invalidArgument } from '../../../errors/index.js';
import { resolveInside } from '../../package/index.js';

/** The `@tensorflow/tfjs` module, passed in so nothing here imports it eagerly. */
export type Tfjs = typeof tfjs;

const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * A TF.js load handler reading `model.json` and its weight shards from a local directory (what
 * tfjs-node's `file://` handler does, without the native package). Shard paths must stay inside the
 * directory of model.json.
 */
export function tfjsFileLoader(tf: Tfjs, modelJsonPath: string): tfjs.io.IOHandler {
  const dir = dirname(modelJsonPath);
  return {
    async load() {
      let json: tfjs.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tfjs.io.ModelJSON;
      } catch (error) {
        throw invalidArgument(`cannot read TF.js model ${modelJsonPath}: ${(error as Error).message}`);
      }
      if (!json || typeof json !== 'object' || !json.modelTopology) {
        throw invalidArgument(`${modelJsonPath} is not a TF.js model.json (no modelTopology)`);
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tfjs.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const path of group.paths) {
            buffers.push(
              toArrayBuffer(await readFile(resolveInside(dir, decodeURIComponent(path), 'weights path'))),
            );
          }
          specs.push(...group.weights);
        }
        const weights = tf.io.concatenateArrayBuffers(buffers);
        const expected = expectedWeightBytes(specs);
        if (expected !== undefined && expected !== weights.byteLength) {
          throw invalidArgument(
            `weights of ${modelJsonPath} are ${weights.byteLength} bytes but its weightsManifest describes ${expected} (truncated or corrupt weight files)`,
          );
        }
        return [specs, weights];
      });
    },
  };
}

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

// Bytes the weight entries need (tfjs io/io_utils decodeWeights reads them back to back); undefined
// when a size is not fixed (string weights) or a dtype is unknown, so nothing can be checked.
function expectedWeightBytes(specs: readonly tfjs.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const size = BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype];
    if (size === undefined) return undefined;
    total += size * spec.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/**
 * A TF.js save handler writing `model.json` and one `weights.bin` into `dir`, the layout
 * {@link tfjsFileLoader} (and tfjs-node's file handler) reads.
 */
export function tfjsDirectorySaver(tf: Tfjs, dir: string, weightsFile = 'weights.bin'): tfjs.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    await mkdir(dir, { recursive: true });
    const weightData = artifacts.weightData ?? new ArrayBuffer(0);
    const weights = tf.io.concatenateArrayBuffers(Array.isArray(weightData) ? weightData : [weightData]);
    const json: tfjs.io.ModelJSON = {
      modelTopology: artifacts.modelTopology as tfjs.io.ModelJSON['modelTopology'],
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.signature ? { signature: artifacts.signature } : {}),
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      ...(artifacts.modelInitializer ? { modelInitializer: artifacts.modelInitializer } : {}),
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    await writeFile(join(dir, weightsFile), new Uint8Array(weights));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(json.modelTopology).length,
        weightDataBytes: weights.byteLength,
      },
    };
  });
}
