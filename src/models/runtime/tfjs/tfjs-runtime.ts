import type * as tfjs from '@tensorflow/tfjs';
import { invalidArgument, OspreyError } from '../../../errors/index.js';
import {
  type Datatype,
  type ModelPackage,
  resolveInside,
  type Tensor,
  type TensorSpec,
} from '../../package/index.js';
import type { ModelRuntime, NamedTensors, PredictorOptions, RuntimeFactory } from '../predictor.js';
import { shapesCompatible } from '../signature-check.js';
import { type Tfjs, tfjsFileLoader } from './tfjs-file-io.js';

type TfDtype = 'float32' | 'int32' | 'bool' | 'string';

const FROM_TF: Record<string, Datatype> = { float32: 'FP32', int32: 'INT32', bool: 'BOOL', string: 'BYTES' };

// Datatypes each TF.js dtype accepts from callers (converted on the way in; integers range-checked
// by the signature check, then narrowed to int32 here).
const ACCEPTS: Record<TfDtype, readonly Datatype[]> = {
  float32: ['FP16', 'FP32', 'FP64', 'INT8', 'INT16', 'INT32', 'UINT8', 'UINT16'],
  int32: ['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64'],
  bool: ['BOOL'],
  string: ['BYTES'],
};

// Datatypes a TF.js output can be reported as (converted after inference).
const OUTPUT_AS: Record<TfDtype, readonly Datatype[]> = {
  float32: ['FP16', 'FP32', 'FP64'],
  int32: ['INT32', 'INT64', 'FP32', 'FP64'],
  bool: ['BOOL'],
  string: ['BYTES'],
};

interface Port {
  /** Name in the Osprey signature. */
  name: string;
  /** Name inside the TF.js model (graph models feed and fetch by it). */
  modelName: string;
  dtype: TfDtype;
  shape: number[];
  /** False when the model records no shape (then `shape` is [-1] and nothing is checked against it). */
  knownShape: boolean;
}

/**
 * `tfjs` flavor: a TF.js layers or graph model read from the package with the pure-JS CPU backend
 * (no native download). Layers models are fed by position, since their tensor names change from one
 * load to the next; graph models by node name, or by position when the manifest names differ.
 * Inference runs on the calling thread.
 */
export function createTfjsRuntime(pkg: ModelPackage, _options: PredictorOptions): ModelRuntime {
  if (pkg.manifest.flavor !== 'tfjs')
    throw invalidArgument(`package flavor is ${pkg.manifest.flavor}, not tfjs`);
  const { file, format } = pkg.manifest.tfjs;
  let tf: Tfjs | undefined;
  let model: tfjs.LayersModel | tfjs.GraphModel | undefined;
  let inputs: Port[] = [];
  let outputs: Port[] = [];

  return {
    async load(declared) {
      tf = await import('@tensorflow/tfjs');
      // Production mode silences the "install tfjs-node" banner and skips debug checks.
      tf.enableProdMode();
      await tf.ready();
      const path = resolveInside(pkg.dir, file, 'tfjs.file');
      const handler = tfjsFileLoader(tf, path);
      try {
        if (format === 'layers') {
          const layers = await tf.loadLayersModel(handler);
          model = layers;
          inputs = ports(layers.inputs, 'input', false);
          outputs = ports(layers.outputs, 'output', false);
        } else {
          const graph = await tf.loadGraphModel(handler);
          model = graph;
          inputs = ports(graph.inputs, 'input', true);
          outputs = ports(graph.outputs, 'output', true);
        }
      } catch (error) {
        // TF.js reports a broken topology or weight file as a plain Error (ValueError, RangeError).
        if (error instanceof OspreyError) throw error;
        throw invalidArgument(
          `${path} is not a TF.js ${format} model TF.js can load: ${(error as Error).message}`,
        );
      }
      if (declared) {
        inputs = bind(inputs, declared.inputs, 'input', file, format === 'graph');
        if (declared.outputs.length > 0)
          outputs = bind(outputs, declared.outputs, 'output', file, format === 'graph');
      }
      const spec = (p: Port): TensorSpec => ({ name: p.name, datatype: FROM_TF[p.dtype]!, shape: p.shape });
      return { inputs: inputs.map(spec), outputs: outputs.map(spec) };
    },
    async predict(given: NamedTensors) {
      if (!tf || !model) throw invalidArgument('tfjs runtime is not loaded');
      const t = tf;
      const feeds = inputs.map((p) => toTf(t, given[p.name]!, p));
      let produced: tfjs.Tensor | tfjs.Tensor[] | undefined;
      try {
        if (model instanceof t.GraphModel) {
          const named = Object.fromEntries(inputs.map((p, i) => [p.modelName, feeds[i]!]));
          produced = await model.executeAsync(
            named,
            outputs.map((p) => p.modelName),
          );
        } else {
          produced = (model as tfjs.LayersModel).predict(feeds.length === 1 ? feeds[0]! : feeds) as
            | tfjs.Tensor
            | tfjs.Tensor[];
        }
        const list = Array.isArray(produced) ? produced : [produced];
        const out: NamedTensors = {};
        for (const [i, p] of outputs.entries()) out[p.name] = await fromTf(list[i]!);
        return out;
      } finally {
        t.dispose(feeds);
        if (produced) t.dispose(produced);
      }
    },
    async unload() {
      model?.dispose();
      model = undefined;
    },
  };
}

createTfjsRuntime satisfies RuntimeFactory;

function ports(
  list: readonly { name: string; shape?: readonly (number | null)[] | null | number[]; dtype: string }[],
  prefix: string,
  keepNames: boolean,
): Port[] {
  return list.map((t, i) => {
    if (!(t.dtype in FROM_TF))
      throw invalidArgument(`TF.js ${prefix} '${t.name}' has unsupported dtype ${t.dtype}`);
    const modelName = t.name.replace(/:0$/, '');
    const name = keepNames ? modelName : list.length === 1 ? prefix : `${prefix}_${i}`;
    // Graph models often record no shape for outputs: an unknown rank is reported as [-1], as OIP
    // metadata does for what it cannot size (outputs are not shape-checked, so this only describes).
    const shape = t.shape ? t.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) : [-1];
    return { name, modelName, dtype: t.dtype as TfDtype, shape, knownShape: Boolean(t.shape) };
  });
}

// Matches manifest tensors to model tensors: by name when every declared name is a model name (graph
// models), otherwise by position; datatypes must be ones the model's dtype can take.
function bind(
  model: Port[],
  declared: readonly TensorSpec[],
  kind: string,
  file: string,
  byName: boolean,
): Port[] {
  const named = byName && declared.every((d) => model.some((m) => m.modelName === d.name));
  if (!named && declared.length !== model.length) {
    throw invalidArgument(
      `signature has ${declared.length} ${kind}s but ${file} has ${model.length} (${model.map((m) => m.modelName).join(', ')})`,
    );
  }
  return declared.map((d, i) => {
    const port = named ? model.find((m) => m.modelName === d.name)! : model[i]!;
    const allowed = kind === 'output' ? OUTPUT_AS[port.dtype] : ACCEPTS[port.dtype];
    if (!allowed.includes(d.datatype)) {
      throw invalidArgument(
        `signature ${kind} '${d.name}' is ${d.datatype}, which ${file}'s ${port.dtype} ${kind} cannot take`,
      );
    }
    if (port.knownShape && !shapesCompatible(d.shape, port.shape)) {
      throw invalidArgument(
        `signature ${kind} '${d.name}' has shape [${d.shape.join(', ')}] but ${file}'s ${kind} ${port.modelName} has [${port.shape.join(', ')}]`,
      );
    }
    return { ...port, name: d.name };
  });
}

function toTf(tf: Tfjs, tensor: Tensor, port: Port): tfjs.Tensor {
  const { data, shape } = tensor;
  switch (port.dtype) {
    case 'float32':
      return tf.tensor(
        data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>, Number),
        shape,
        'float32',
      );
    case 'int32': {
      const ints = Int32Array.from(data as ArrayLike<number | bigint>, Number);
      const bad = Array.from(data as ArrayLike<number | bigint>).findIndex((v, i) => Number(v) !== ints[i]);
      if (bad >= 0)
        throw invalidArgument(`input '${port.name}': element ${bad} does not fit the model's int32`);
      return tf.tensor(ints, shape, 'int32');
    }
    case 'bool':
      return tf.tensor(data as Uint8Array, shape, 'bool');
    default:
      return tf.tensor(data as string[], shape, 'string');
  }
}

async function fromTf(t: tfjs.Tensor): Promise<Tensor> {
  const datatype = FROM_TF[t.dtype];
  if (!datatype) throw invalidArgument(`TF.js returned a tensor of unsupported dtype ${t.dtype}`);
  const raw = (await t.data()) as unknown;
  const data =
    datatype === 'BYTES'
      ? (raw as (string | Uint8Array)[]).map((v) => (typeof v === 'string' ? v : new TextDecoder().decode(v)))
      : (raw as Float32Array | Int32Array | Uint8Array);
  return { datatype, shape: [...t.shape], data };
}
