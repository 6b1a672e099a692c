import { invalidArgument } from '../../errors/index.js';
import { createRng, type Rng } from '../../random/index.js';
import {
  type DenseLayerParams,
  type MlpActivation,
  mlpToOnnx,
  type OnnxExportOptions,
} from '../onnx/index.js';
import {
  argmax,
  encodeLabels,
  type FeatureRows,
  positiveInt,
  positiveNumber,
  toDesign,
  toTargets,
} from './data.js';
import type { ClassificationModel, RegressionModel } from './model-types.js';

/** Options for the MLP trainers (names follow sklearn's MLPClassifier/MLPRegressor). */
export interface MlpOptions {
  /** Hidden layer widths (default [32]). */
  hiddenLayers?: number[];
  activation?: MlpActivation;
  /** Adam step size (default 1e-3). */
  learningRate?: number;
  /** Passes over the data (default 100). */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** L2 penalty α on weights, per sample as in sklearn (default 1e-4). */
  l2?: number;
  /** Standardise features (and regression targets) for training; folded back into the weights. Default true. */
  standardize?: boolean;
  seed?: number;
}

/** A trained MLP classifier (softmax over C ≥ 2 outputs, cross-entropy loss). */
export interface MlpClassifierModel extends ClassificationModel {
  readonly kind: 'mlp_classifier';
  /** Layers on raw features (standardisation folded in), as exported to ONNX. */
  readonly layers: readonly DenseLayerParams[];
  readonly activation: MlpActivation;
  /** Mean training loss per epoch. */
  readonly lossCurve: readonly number[];
}

/** A trained MLP regressor (one linear output, squared loss). */
export interface MlpRegressorModel extends RegressionModel {
  readonly kind: 'mlp_regressor';
  readonly layers: readonly DenseLayerParams[];
  readonly activation: MlpActivation;
  readonly lossCurve: readonly number[];
}

const ACTIVATIONS: Record<MlpActivation, { f: (z: number) => number; df: (a: number, z: number) => number }> =
  {
    relu: { f: (z) => Math.max(z, 0), df: (_a, z) => (z > 0 ? 1 : 0) },
    tanh: { f: Math.tanh, df: (a) => 1 - a * a },
    sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), df: (a) => a * (1 - a) },
  };

interface Net {
  sizes: number[];
  w: Float64Array[]; // w[l]: sizes[l] × sizes[l+1], row-major
  b: Float64Array[];
}

// Glorot & Bengio (2010) uniform initialisation: U(±sqrt(6 / (fan_in + fan_out))).
function initNet(sizes: number[], rng: Rng): Net {
  const w = sizes.slice(0, -1).map((nIn, l) => {
    const nOut = sizes[l + 1]!;
    const bound = Math.sqrt(6 / (nIn + nOut));
    return Float64Array.from({ length: nIn * nOut }, () => (2 * rng.next() - 1) * bound);
  });
  return { sizes, w, b: sizes.slice(1).map((s) => new Float64Array(s)) };
}

interface TrainSpec {
  x: Float64Array; // standardised rows, n × f
  n: number;
  f: number;
  output: (out: Float64Array, i: number, delta: Float64Array) => number; // writes dLoss/dz, returns loss
  options: MlpOptions;
  nOut: number;
}

// z = a·W + b for layer l; the output layer (f = null) stays linear.
function forwardLayer(
  net: Net,
  l: number,
  acts: Float64Array[],
  zs: Float64Array[],
  f: ((z: number) => number) | null,
): void {
  const nIn = net.sizes[l]!;
  const nOut = net.sizes[l + 1]!;
  const w = net.w[l]!;
  const a = acts[l]!;
  const z = zs[l + 1]!;
  const next = acts[l + 1]!;
  z.set(net.b[l]!);
  for (let p = 0; p < nIn; p++) {
    const ap = a[p]!;
    if (ap === 0) continue;
    const row = p * nOut;
    for (let q = 0; q < nOut; q++) z[q]! += ap * w[row + q]!;
  }
  for (let q = 0; q < nOut; q++) next[q] = f === null ? z[q]! : f(z[q]!);
}

// Accumulates ∂loss/∂W_l = a_lᵀ δ_{l+1}, ∂loss/∂b_l = δ_{l+1}, and propagates δ_l = (W_l δ_{l+1}) ⊙ σ'(z_l).
function backwardLayer(
  net: Net,
  l: number,
  acts: Float64Array[],
  zs: Float64Array[],
  deltas: Float64Array[],
  gw: Float64Array,
  gb: Float64Array,
  df: (a: number, z: number) => number,
): void {
  const nIn = net.sizes[l]!;
  const nOut = net.sizes[l + 1]!;
  const w = net.w[l]!;
  const a = acts[l]!;
  const d = deltas[l + 1]!;
  for (let p = 0; p < nIn; p++) {
    const ap = a[p]!;
    if (ap === 0) continue;
    const row = p * nOut;
    for (let q = 0; q < nOut; q++) gw[row + q]! += ap * d[q]!;
  }
  for (let q = 0; q < nOut; q++) gb[q]! += d[q]!;
  if (l === 0) return;
  const prev = deltas[l]!;
  const z = zs[l]!;
  for (let p = 0; p < nIn; p++) {
    const row = p * nOut;
    let s = 0;
    for (let q = 0; q < nOut; q++) s += w[row + q]! * d[q]!;
    prev[p] = s * df(a[p]!, z[p]!);
  }
}

/** Mini-batch backpropagation (Rumelhart et al. 1986) with Adam (Kingma & Ba 2015, Algorithm 1). */
function train(spec: TrainSpec): { net: Net; lossCurve: number[]; activation: MlpActivation } {
  const o = spec.options;
  const activation = o.activation ?? 'relu';
  if (!(activation in ACTIVATIONS))
    throw invalidArgument(`activation must be relu, tanh or sigmoid, got ${activation}`);
  const hidden = o.hiddenLayers ?? [32];
  for (const [i, h] of hidden.entries()) positiveInt(`hiddenLayers[${i}]`, h, 1);
  const lr = positiveNumber('learningRate', o.learningRate, 1e-3);
  const epochs = positiveInt('epochs', o.epochs, 100);
  const batchSize = Math.min(positiveInt('batchSize', o.batchSize, 32), spec.n);
  const l2 = o.l2 ?? 1e-4;
  if (!(l2 >= 0)) throw invalidArgument(`l2 must be >= 0, got ${l2}`);
  const act = ACTIVATIONS[activation];
  const rng = createRng(o.seed ?? 0);
  const net = initNet([spec.f, ...hidden, spec.nOut], rng);
  const L = net.w.length;
  const acts = net.sizes.map((s) => new Float64Array(s));
  const zs = net.sizes.map((s) => new Float64Array(s));
  const deltas = net.sizes.map((s) => new Float64Array(s));
  const gw = net.w.map((w) => new Float64Array(w.length));
  const gb = net.b.map((b) => new Float64Array(b.length));
  const adam = [...net.w, ...net.b].map((p) => ({
    m: new Float64Array(p.length),
    v: new Float64Array(p.length),
  }));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const order = Array.from({ length: spec.n }, (_, i) => i);
  const lossCurve: number[] = [];
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    let epochLoss = 0;
    for (let start = 0; start < spec.n; start += batchSize) {
      const end = Math.min(start + batchSize, spec.n);
      for (const g of [...gw, ...gb]) g.fill(0);
      for (let t = start; t < end; t++) {
        const i = order[t]!;
        const input = acts[0]!;
        for (let j = 0; j < spec.f; j++) input[j] = spec.x[i * spec.f + j]!;
        for (let l = 0; l < L; l++) forwardLayer(net, l, acts, zs, l === L - 1 ? null : act.f);
        epochLoss += spec.output(acts[L]!, i, deltas[L]!);
        for (let l = L - 1; l >= 0; l--) backwardLayer(net, l, acts, zs, deltas, gw[l]!, gb[l]!, act.df);
      }
      const m = end - start;
      step++;
      const params = [...net.w, ...net.b];
      const grads = [...gw, ...gb];
      params.forEach((param, k) => {
        const grad = grads[k]!;
        const state = adam[k]!;
        const isWeight = k < L;
        for (let j = 0; j < param.length; j++) {
          const gj = grad[j]! / m + (isWeight ? (l2 * param[j]!) / m : 0);
          state.m[j] = beta1 * state.m[j]! + (1 - beta1) * gj;
          state.v[j] = beta2 * state.v[j]! + (1 - beta2) * gj * gj;
          const mHat = state.m[j]! / (1 - beta1 ** step);
          const vHat = state.v[j]! / (1 - beta2 ** step);
          param[j]! -= (lr * mHat) / (Math.sqrt(vHat) + eps);
        }
      });
    }
    lossCurve.push(epochLoss / spec.n);
  }
  return { net, lossCurve, activation };
}

interface Scaling {
  mean: Float64Array;
  scale: Float64Array;
}

function featureScaling(data: Float64Array, n: number, f: number, enabled: boolean): Scaling {
  const mean = new Float64Array(f);
  const scale = new Float64Array(f).fill(1);
  if (!enabled) return { mean, scale };
  for (let j = 0; j < f; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * f + j]!;
    mean[j] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * f + j]! - mean[j]!) ** 2;
    const sd = Math.sqrt(v / n);
    scale[j] = sd > 0 ? sd : 1;
  }
  return { mean, scale };
}

// Folds x' = (x − μ)/σ into the first layer and y = y'·s + m into the last, giving layers on raw data.
function foldedLayers(net: Net, sc: Scaling, yScale = 1, yMean = 0): DenseLayerParams[] {
  const L = net.w.length;
  return net.w.map((w, l) => {
    const [nIn, nOut] = [net.sizes[l]!, net.sizes[l + 1]!];
    const weights = Array.from({ length: nIn }, (_, p) =>
      Array.from({ length: nOut }, (_, q) => w[p * nOut + q]!),
    );
    let bias = Array.from(net.b[l]!);
    if (l === 0) {
      weights.forEach((row, p) => {
        for (let q = 0; q < nOut; q++) row[q] = row[q]! / sc.scale[p]!;
      });
      bias = bias.map((b, q) => b - weights.reduce((s, row, p) => s + sc.mean[p]! * row[q]!, 0));
    }
    if (l === L - 1) {
      for (const row of weights) for (let q = 0; q < nOut; q++) row[q] = row[q]! * yScale;
      bias = bias.map((b) => b * yScale + yMean);
    }
    return { weights, bias };
  });
}

function forward(
  layers: readonly DenseLayerParams[],
  activation: MlpActivation,
  row: Float64Array,
): number[] {
  let h = Array.from(row);
  layers.forEach((layer, l) => {
    const z = layer.bias.map((b, q) => h.reduce((s, v, p) => s + v * layer.weights[p]![q]!, b));
    h = l < layers.length - 1 ? z.map(ACTIVATIONS[activation].f) : z;
  });
  return h;
}

function standardized(data: Float64Array, f: number, sc: Scaling): Float64Array {
  return data.map((v, k) => (v - sc.mean[k % f]!) / sc.scale[k % f]!);
}

/** Trains an MLP classifier: softmax cross-entropy, Adam, seeded initialisation and shuffling. */
export function trainMlpClassifier(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: MlpOptions = {},
): MlpClassifierModel {
  const { data, n, f } = toDesign(X);
  const { classes, index } = encodeLabels(y, n);
  const sc = featureScaling(data, n, f, options.standardize ?? true);
  const k = classes.length;
  const { net, lossCurve, activation } = train({
    x: standardized(data, f, sc),
    n,
    f,
    nOut: k,
    options,
    output: (out, i, delta) => {
      let max = Number.NEGATIVE_INFINITY;
      for (const v of out) max = Math.max(max, v);
      let sum = 0;
      for (const v of out) sum += Math.exp(v - max);
      for (let c = 0; c < k; c++) delta[c] = Math.exp(out[c]! - max) / sum - (index[i] === c ? 1 : 0);
      return max + Math.log(sum) - out[index[i]!]!;
    },
  });
  const layers = foldedLayers(net, sc);
  const proba = (rows: FeatureRows) => {
    const d = toDesign(rows, f);
    return Array.from({ length: d.n }, (_, i) => {
      const z = forward(layers, activation, d.data.subarray(i * f, i * f + f));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
  };
  return {
    kind: 'mlp_classifier',
    nFeatures: f,
    classes,
    layers,
    activation,
    lossCurve,
    predictProba: proba,
    predict: (rows) => proba(rows).map((p) => classes[argmax(p)]!),
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      mlpToOnnx({ layers, activation, head: 'softmax', classLabels: classes }, exportOptions),
  };
}

/** Trains an MLP regressor: one linear output, squared loss ½(ŷ − y)², Adam. */
export function trainMlpRegressor(
  X: FeatureRows,
  y: ArrayLike<number>,
  options: MlpOptions = {},
): MlpRegressorModel {
  const { data, n, f } = toDesign(X);
  const targets = toTargets(y, n);
  const standardize = options.standardize ?? true;
  const sc = featureScaling(data, n, f, standardize);
  const ySc = featureScaling(targets, n, 1, standardize);
  const [yMean, yScale] = [ySc.mean[0]!, ySc.scale[0]!];
  const { net, lossCurve, activation } = train({
    x: standardized(data, f, sc),
    n,
    f,
    nOut: 1,
    options,
    output: (out, i, delta) => {
      const r = out[0]! - (targets[i]! - yMean) / yScale;
      delta[0] = r;
      return 0.5 * r * r;
    },
  });
  const layers = foldedLayers(net, sc, yScale, yMean);
  return {
    kind: 'mlp_regressor',
    nFeatures: f,
    layers,
    activation,
    lossCurve,
    predict: (rows) => {
      const d = toDesign(rows, f);
      return Array.from(
        { length: d.n },
        (_, i) => forward(layers, activation, d.data.subarray(i * f, i * f + f))[0]!,
      );
    },
    toOnnx: (exportOptions?: OnnxExportOptions) =>
      mlpToOnnx({ layers, activation, head: 'identity' }, exportOptions),
  };
}
