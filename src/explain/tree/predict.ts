import { assertMatrix } from '../common/validate.js';
import type { Tree, TreeEnsemble } from './tree-ensemble.js';

/**
 * Whether `value` takes the node's true (left) branch. Follows onnxruntime's TreeEnsemble kernel:
 * the IEEE comparison, or-ed with `missing_value_tracks_true` when the input is NaN; so a NaN goes
 * right unless tracked true, except under BRANCH_NEQ where NaN != t already holds.
 */
export function goesLeft(tree: Tree, node: number, value: number): boolean {
  const t = tree.threshold[node]!;
  let holds: boolean;
  switch (tree.mode[node]) {
    case 'BRANCH_LEQ':
      holds = value <= t;
      break;
    case 'BRANCH_LT':
      holds = value < t;
      break;
    case 'BRANCH_GTE':
      holds = value >= t;
      break;
    case 'BRANCH_GT':
      holds = value > t;
      break;
    case 'BRANCH_EQ':
      holds = value === t;
      break;
    case 'BRANCH_NEQ':
      holds = value !== t;
      break;
    default:
      throw new Error(`goesLeft called on a leaf (node ${node})`);
  }
  return holds || (Number.isNaN(value) && tree.missingGoesLeft[node] === 1);
}

/** The leaf a row lands in. */
export function leafIndex(tree: Tree, row: readonly number[]): number {
  let node = 0;
  while (tree.mode[node] !== 'LEAF') {
    node = goesLeft(tree, node, row[tree.feature[node]!]!) ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

/** Raw margins `[row][output]`: aggregated leaf values plus base values, before `post_transform`. */
export function predictRaw(e: TreeEnsemble, rows: readonly number[][]): number[][] {
  assertMatrix('rows', rows, e.nFeatures);
  const k = e.nOutputs;
  const scale = e.aggregate === 'AVERAGE' ? 1 / e.trees.length : 1;
  return rows.map((row) => {
    const acc = new Array<number>(k).fill(0);
    const seen = new Array<boolean>(k).fill(false);
    for (const tree of e.trees) {
      const leaf = leafIndex(tree, row);
      for (let o = 0; o < k; o++) {
        const v = tree.values[leaf * k + o]!;
        if (e.aggregate === 'MIN') acc[o] = seen[o] ? Math.min(acc[o]!, v) : v;
        else if (e.aggregate === 'MAX') acc[o] = seen[o] ? Math.max(acc[o]!, v) : v;
        else acc[o]! += v;
        seen[o] = true;
      }
    }
    return acc.map((v, o) => v * scale + e.baseValues[o]!);
  });
}

/**
 * Model outputs after `post_transform` (`[row][output]`); a binary-margin classifier yields
 * [1 - p, p] under LOGISTIC and [-s, s] otherwise, as onnxruntime does.
 */
export function predictTransformed(e: TreeEnsemble, rows: readonly number[][]): number[][] {
  return predictRaw(e, rows).map((raw) => {
    if (e.binaryMargin) {
      const s = raw[0]!;
      if (e.postTransform === 'LOGISTIC') {
        const p = sigmoid(s);
        return [1 - p, p];
      }
      return [-s, s];
    }
    return applyPostTransform(e.postTransform, raw);
  });
}

/** Applies an ONNX post_transform to one row of scores. */
export function applyPostTransform(kind: TreeEnsemble['postTransform'], raw: number[]): number[] {
  switch (kind) {
    case 'NONE':
      return raw;
    case 'LOGISTIC':
      return raw.map(sigmoid);
    case 'SOFTMAX':
      return softmax(raw, false);
    case 'SOFTMAX_ZERO':
      return softmax(raw, true);
    case 'PROBIT':
      return raw.map(normalQuantile);
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

// SOFTMAX_ZERO (ONNX-ML spec): entries equal to zero stay zero and are left out of the normaliser.
function softmax(raw: number[], keepZeros: boolean): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of raw) if (!(keepZeros && v === 0)) max = Math.max(max, v);
  const ex = raw.map((v) => (keepZeros && v === 0 ? 0 : Math.exp(v - max)));
  const total = ex.reduce((a, b) => a + b, 0);
  return ex.map((v) => (total > 0 ? v / total : 0));
}

/**
 * Standard normal quantile (ONNX PROBIT = sqrt(2) * erfinv(2p - 1)) by Acklam's rational
 * approximation (relative error below 1.15e-9; onnxruntime itself works in float32).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1))
    return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < lo) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - lo) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
