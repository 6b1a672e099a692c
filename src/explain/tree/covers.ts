import { invalidArgument } from '../../errors/index.js';
import { assertMatrix, normaliseWeights } from '../common/validate.js';
import { goesLeft } from './predict.js';
import type { Tree, TreeEnsemble } from './tree-ensemble.js';

/*
 * Covers. Path-dependent TreeSHAP (Lundberg et al. 2020, Algorithm 2) weighs the two children of a
 * split by the share of training data that went each way: cover(child) / cover(node). ONNX has no
 * cover field. `fromOnnxTreeAttributes` copies `nodes_hitrates` when they are present *and*
 * consistent (every internal node's hit rate equals the sum of its children's, which real hit
 * counts satisfy); converters commonly write 1.0 everywhere, which is not a cover. Otherwise the
 * covers are computed here by passing a dataset (ideally the training set, or a sample of it)
 * through every tree and counting (weighted) rows per node.
 */

/** Returns a copy of the ensemble whose covers are the weighted row counts reaching each node. */
export function withCoversFromData(
  e: TreeEnsemble,
  rows: readonly number[][],
  weights?: readonly number[],
): TreeEnsemble {
  assertMatrix('cover data', rows, e.nFeatures);
  const w = weights === undefined ? undefined : normaliseWeights('cover weights', rows.length, weights);
  const trees = e.trees.map((tree) => {
    const cover = new Float64Array(tree.feature.length);
    rows.forEach((row, i) => {
      const wi = w === undefined ? 1 : w[i]! * rows.length;
      let node = 0;
      cover[0]! += wi;
      while (tree.mode[node] !== 'LEAF') {
        node = goesLeft(tree, node, row[tree.feature[node]!]!) ? tree.left[node]! : tree.right[node]!;
        cover[node]! += wi;
      }
    });
    return { ...tree, cover };
  });
  return { ...e, trees };
}

/** True when the root cover is positive and every internal node's cover equals its children's sum. */
export function coversAreConsistent(tree: Tree, relTol = 1e-6): boolean {
  if (!(tree.cover[0]! > 0)) return false;
  for (let node = 0; node < tree.feature.length; node++) {
    const c = tree.cover[node]!;
    if (!(c >= 0) || !Number.isFinite(c)) return false;
    if (tree.mode[node] === 'LEAF') continue;
    const sum = tree.cover[tree.left[node]!]! + tree.cover[tree.right[node]!]!;
    if (Math.abs(sum - c) > relTol * Math.max(1, Math.abs(c))) return false;
  }
  return true;
}

/** Throws INVALID_ARGUMENT unless every tree carries consistent covers. */
export function assertCovers(e: TreeEnsemble): void {
  e.trees.forEach((t, i) => {
    if (!coversAreConsistent(t)) {
      throw invalidArgument(
        `tree ${i} has no usable node covers; call withCoversFromData(ensemble, trainingRows) ` +
          'or explain interventionally against a background set',
      );
    }
  });
}

/**
 * Share of `node`'s cover that went to `child`. A node no data reached (cover 0) splits 50/50 so
 * that conditional expectations stay defined; the brute-force reference uses the same rule.
 */
export function coverFraction(tree: Tree, node: number, child: number): number {
  const c = tree.cover[node]!;
  return c > 0 ? tree.cover[child]! / c : 0.5;
}
