import { coverFraction } from './covers.js';
import { goesLeft } from './predict.js';
import type { Tree } from './tree-ensemble.js';

/*
 * Path-dependent TreeSHAP: Lundberg, Erion & Lee, "Consistent Individualized Feature Attribution
 * for Tree Ensembles" (arXiv:1802.03888, Algorithm 2) and Nature MI 2020 (Methods, "Tree SHAP").
 * The path m holds, per unique feature met on the way down, the fraction of "zero" paths (feature
 * absent: follow covers) and "one" paths (feature present: follow x), and the permutation weights
 * of every subset size, so each leaf's contribution to each feature is read off in O(D).
 * Total cost O(L * D^2) per tree and row.
 */

/** Reusable buffers for path-dependent TreeSHAP on trees up to `maxDepth` deep. */
export interface PathDependentWorkspace {
  /** Adds the SHAP values of one tree for row `x` into `phi[feature * k + output]`, leaf values times `scale`. */
  accumulate(tree: Tree, x: readonly number[], k: number, scale: number, phi: Float64Array): void;
}

/**
 * Creates the workspace. The path of every recursion level lives in one flat buffer per field
 * (level l at offset l * stride), so explaining a row allocates nothing.
 */
export function createPathDependentWorkspace(maxDepth: number): PathDependentWorkspace {
  const stride = maxDepth + 2;
  const levels = maxDepth + 2;
  const pd = new Int32Array(stride * levels);
  const pz = new Float64Array(stride * levels);
  const po = new Float64Array(stride * levels);
  const pw = new Float64Array(stride * levels);
  let tree: Tree;
  let x: readonly number[];
  let k = 1;
  let scale = 1;
  let phi: Float64Array;

  // EXTEND (Algorithm 2): grow the path at offset `m` by one element and update the subset weights.
  const extend = (m: number, len: number, zero: number, one: number, feature: number): number => {
    pd[m + len] = feature;
    pz[m + len] = zero;
    po[m + len] = one;
    pw[m + len] = len === 0 ? 1 : 0;
    for (let i = len - 1; i >= 0; i--) {
      pw[m + i + 1]! += (one * pw[m + i]! * (i + 1)) / (len + 1);
      pw[m + i] = (zero * pw[m + i]! * (len - i)) / (len + 1);
    }
    return len + 1;
  };

  // UNWIND (Algorithm 2): undo the extension by element i, in place; returns the new length.
  const unwind = (m: number, len: number, i: number): number => {
    const l = len - 1;
    const one = po[m + i]!;
    const zero = pz[m + i]!;
    let n = pw[m + l]!;
    for (let j = l - 1; j >= 0; j--) {
      if (one !== 0) {
        const t = pw[m + j]!;
        pw[m + j] = (n * (l + 1)) / ((j + 1) * one);
        n = t - (pw[m + j]! * zero * (l - j)) / (l + 1);
      } else {
        pw[m + j] = (pw[m + j]! * (l + 1)) / (zero * (l - j));
      }
    }
    for (let j = i; j < l; j++) {
      pd[m + j] = pd[m + j + 1]!;
      pz[m + j] = pz[m + j + 1]!;
      po[m + j] = po[m + j + 1]!;
    }
    return l;
  };

  // sum(UNWIND(m, i).w) without materialising the unwound path.
  const unwoundPathSum = (m: number, ud: number, i: number): number => {
    const one = po[m + i]!;
    const zero = pz[m + i]!;
    let next = pw[m + ud]!;
    let total = 0;
    if (one !== 0) {
      for (let j = ud - 1; j >= 0; j--) {
        const tmp = (next * (ud + 1)) / ((j + 1) * one);
        total += tmp;
        next = pw[m + j]! - (tmp * zero * (ud - j)) / (ud + 1);
      }
    } else {
      for (let j = ud - 1; j >= 0; j--) total += (pw[m + j]! * (ud + 1)) / (zero * (ud - j));
    }
    return total;
  };

  const recurse = (
    node: number,
    level: number,
    parentLen: number,
    zero: number,
    one: number,
    feature: number,
  ): void => {
    const m = level * stride;
    if (level > 0) {
      const p = m - stride;
      for (let i = 0; i < parentLen; i++) {
        pd[m + i] = pd[p + i]!;
        pz[m + i] = pz[p + i]!;
        po[m + i] = po[p + i]!;
        pw[m + i] = pw[p + i]!;
      }
    }
    let len = extend(m, parentLen, zero, one, feature);
    if (tree.mode[node] === 'LEAF') {
      const ud = len - 1;
      for (let i = 1; i < len; i++) {
        const w = unwoundPathSum(m, ud, i) * (po[m + i]! - pz[m + i]!) * scale;
        if (w === 0) continue;
        const base = pd[m + i]! * k;
        for (let o = 0; o < k; o++) phi[base + o]! += w * tree.values[node * k + o]!;
      }
      return;
    }
    const f = tree.feature[node]!;
    const left = goesLeft(tree, node, x[f]!);
    const hot = left ? tree.left[node]! : tree.right[node]!;
    const cold = left ? tree.right[node]! : tree.left[node]!;
    let iz = 1;
    let io = 1;
    // A feature already on the path is unwound and its fractions multiplied into the new split
    // (Algorithm 2, lines 17-20): each feature appears on the path at most once.
    for (let i = 1; i < len; i++) {
      if (pd[m + i] === f) {
        iz = pz[m + i]!;
        io = po[m + i]!;
        len = unwind(m, len, i);
        break;
      }
    }
    const hotZ = iz * coverFraction(tree, node, hot);
    const coldZ = iz * coverFraction(tree, node, cold);
    // A child with zero and one fractions both 0 contributes nothing (every weight becomes 0).
    if (hotZ !== 0 || io !== 0) recurse(hot, level + 1, len, hotZ, io, f);
    if (coldZ !== 0) recurse(cold, level + 1, len, coldZ, 0, f);
  };

  return {
    accumulate(t, row, outputs, s, out) {
      tree = t;
      x = row;
      k = outputs;
      scale = s;
      phi = out;
      recurse(0, 0, 0, 1, 1, -1);
    },
  };
}

/** Cover-weighted mean leaf value of one tree, E[f] under the path-dependent model, per output. */
export function pathDependentExpectation(tree: Tree, k: number): number[] {
  const visit = (node: number): number[] => {
    if (tree.mode[node] === 'LEAF') return Array.from({ length: k }, (_, o) => tree.values[node * k + o]!);
    const l = tree.left[node]!;
    const r = tree.right[node]!;
    const fl = coverFraction(tree, node, l);
    const fr = coverFraction(tree, node, r);
    const vl = visit(l);
    const vr = visit(r);
    return vl.map((v, o) => fl * v + fr * vr[o]!);
  };
  return visit(0);
}
