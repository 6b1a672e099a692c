import { goesLeft } from './predict.js';
import type { Tree } from './tree-ensemble.js';

/*
 * Interventional TreeSHAP (Lundberg et al., Nature MI 2020, Methods "Interventional Tree SHAP";
 * shap's feature_perturbation='interventional'). For one foreground row x and one background row r
 * the game is v(S) = f(x_S, r_notS). Walking the tree, where x and r go the same way nothing is
 * decided; where they split on feature j, x's side needs j in S and r's side needs j not in S. A leaf
 * is therefore reached iff A is a subset of S and S misses B (A, B disjoint feature sets gathered on
 * the way; a feature required on both sides makes the leaf unreachable). That game's Shapley values
 * are closed-form: for j in A, v (|A|-1)! |B|! / (|A|+|B|)!; for j in B, -v |A|! (|B|-1)! / (|A|+|B|)!
 * (the probability that, in a random order, j is the last of A before any of B, resp. the first of B
 * after all of A). Summing over leaves and averaging over r gives exact interventional SHAP values
 * in O(L) per tree and (x, r) pair.
 */

/** Creates a reusable accumulator for trees of depth <= `depth` over `nFeatures` features. */
export function createInterventionalAccumulator(nFeatures: number, depth: number) {
  const inA = new Int32Array(nFeatures);
  const inB = new Int32Array(nFeatures);
  // Distinct features currently required in A or in B (disjoint: conflicting branches are pruned).
  const distinct = new Int32Array(depth + 1);
  let nDistinct = 0;
  let a = 0;
  let b = 0;
  // coef(a, b) = (a-1)! b! / (a+b)! = 1 / (a * C(a+b, a)), tabulated once (C stays finite for any depth).
  const coef = new Float64Array((depth + 2) * (depth + 2));
  for (let i = 1; i <= depth + 1; i++) {
    for (let j = 0; j + i <= depth + 1; j++) {
      let c = 1;
      for (let t = 1; t <= i; t++) c = (c * (j + t)) / t;
      coef[i * (depth + 2) + j] = 1 / (i * c);
    }
  }
  const stride = depth + 2;
  let tree: Tree;
  let x: readonly number[];
  let r: readonly number[];
  let k = 1;
  let weight = 1;
  let phi: Float64Array;

  const visit = (node: number): void => {
    if (tree.mode[node] === 'LEAF') {
      if (nDistinct === 0) return;
      const wA = a > 0 ? weight * coef[a * stride + b]! : 0;
      const wB = b > 0 ? -weight * coef[b * stride + a]! : 0;
      for (let p = 0; p < nDistinct; p++) {
        const f = distinct[p]!;
        const w = inA[f]! > 0 ? wA : wB;
        for (let o = 0; o < k; o++) phi[f * k + o]! += w * tree.values[node * k + o]!;
      }
      return;
    }
    const f = tree.feature[node]!;
    const xl = goesLeft(tree, node, x[f]!);
    const rl = goesLeft(tree, node, r[f]!);
    if (xl === rl) {
      visit(xl ? tree.left[node]! : tree.right[node]!);
      return;
    }
    // x's branch: f must be in S (impossible if already required absent).
    if (inB[f] === 0) {
      if (inA[f]!++ === 0) {
        a++;
        distinct[nDistinct++] = f;
      }
      visit(xl ? tree.left[node]! : tree.right[node]!);
      if (--inA[f]! === 0) {
        a--;
        nDistinct--;
      }
    }
    // r's branch: f must be absent from S (impossible if already required present).
    if (inA[f] === 0) {
      if (inB[f]!++ === 0) {
        b++;
        distinct[nDistinct++] = f;
      }
      visit(rl ? tree.left[node]! : tree.right[node]!);
      if (--inB[f]! === 0) {
        b--;
        nDistinct--;
      }
    }
  };

  /** Adds weight * phi(x, r) of one tree into `phi[feature * k + output]`. */
  return function accumulate(
    t: Tree,
    row: readonly number[],
    background: readonly number[],
    outputs: number,
    w: number,
    out: Float64Array,
  ): void {
    tree = t;
    x = row;
    r = background;
    k = outputs;
    weight = w;
    phi = out;
    visit(0);
  };
}
