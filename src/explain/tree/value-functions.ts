import { coverFraction } from './covers.js';
import { goesLeft, predictRaw } from './predict.js';
import type { TreeEnsemble } from './tree-ensemble.js';

/*
 * The two games TreeSHAP solves, written directly from their definitions so that tests (and
 * anyone auditing a result) can compute Shapley values by brute force over all 2^M coalitions.
 */

/**
 * Path-dependent value E[f(x) | x_S] (Lundberg et al. 2020, Algorithm 1 "EXPVALUE"): follow x at
 * splits on features in S, otherwise average both children by cover. Raw margin, per output.
 */
export function pathDependentValue(
  e: TreeEnsemble,
  x: readonly number[],
  inS: (feature: number) => boolean,
): number[] {
  const k = e.nOutputs;
  const scale = e.aggregate === 'AVERAGE' ? 1 / e.trees.length : 1;
  const total = [...e.baseValues];
  for (const tree of e.trees) {
    const visit = (node: number): number[] => {
      if (tree.mode[node] === 'LEAF') return Array.from({ length: k }, (_, o) => tree.values[node * k + o]!);
      const f = tree.feature[node]!;
      const l = tree.left[node]!;
      const r = tree.right[node]!;
      if (inS(f)) return visit(goesLeft(tree, node, x[f]!) ? l : r);
      const fl = coverFraction(tree, node, l);
      const fr = coverFraction(tree, node, r);
      const vl = visit(l);
      const vr = visit(r);
      return vl.map((v, o) => fl * v + fr * vr[o]!);
    };
    visit(0).forEach((v, o) => {
      total[o]! += scale * v;
    });
  }
  return total;
}

/**
 * Interventional value E_r[f(x_S, r_notS)]: the model evaluated on hybrid rows, averaged over the
 * (weighted) background. Raw margin, per output.
 */
export function interventionalValue(
  e: TreeEnsemble,
  x: readonly number[],
  inS: (feature: number) => boolean,
  background: readonly number[][],
  weights?: readonly number[],
): number[] {
  const hybrids = background.map((r) => r.map((v, j) => (inS(j) ? x[j]! : v)));
  const out = predictRaw(e, hybrids);
  const total = weights ? weights.reduce((a, b) => a + b, 0) : background.length;
  return Array.from(
    { length: e.nOutputs },
    (_, o) => out.reduce((acc, row, b) => acc + (weights ? weights[b]! : 1) * row[o]!, 0) / total,
  );
}
