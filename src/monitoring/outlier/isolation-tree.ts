/**
 * One isolation tree (Liu, Ting & Zhou 2008, Algorithm 2 "iTree"), stored as flat arrays so a
 * forest serialises to plain JSON. A node splits on a feature drawn uniformly among those that are
 * not constant in the node, at a value drawn uniformly in [min, max); points <= split go left.
 * Growth stops at the height limit or when the node's points are all identical.
 */
import type { Rng } from '../../random/index.js';
import { averagePathLength } from './path-length.js';

export interface IsolationTree {
  /** Split feature per node; −1 marks a leaf. */
  feature: number[];
  split: number[];
  left: number[];
  right: number[];
  /** Number of training points in each leaf (0 for inner nodes). */
  size: number[];
}

/** Grows a tree on `rows[indices]` up to `heightLimit`. */
export function growTree(
  rows: readonly (readonly number[])[],
  indices: number[],
  heightLimit: number,
  rng: Rng,
): IsolationTree {
  const tree: IsolationTree = { feature: [], split: [], left: [], right: [], size: [] };
  const d = (rows[0] as readonly number[]).length;
  const grow = (idx: number[], depth: number): number => {
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.split.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.size.push(idx.length);
    if (depth >= heightLimit || idx.length <= 1) return node;
    const candidates: { q: number; min: number; max: number }[] = [];
    for (let q = 0; q < d; q++) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const i of idx) {
        const v = (rows[i] as readonly number[])[q] as number;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) candidates.push({ q, min, max });
    }
    if (candidates.length === 0) return node;
    const { q, min, max } = candidates[rng.int(candidates.length)] as { q: number; min: number; max: number };
    let p = min + rng.next() * (max - min);
    if (p >= max) p = min + (max - min) / 2; // rounding guard: keep the right side non-empty
    const leftIdx = idx.filter((i) => ((rows[i] as readonly number[])[q] as number) <= p);
    const rightIdx = idx.filter((i) => ((rows[i] as readonly number[])[q] as number) > p);
    tree.feature[node] = q;
    tree.split[node] = p;
    tree.size[node] = 0;
    tree.left[node] = grow(leftIdx, depth + 1);
    tree.right[node] = grow(rightIdx, depth + 1);
    return node;
  };
  grow(indices, 0);
  return tree;
}

/** h(x): edges from the root to x's leaf plus c(leaf size) for the unbuilt subtree (paper, Alg. 3). */
export function pathLength(tree: IsolationTree, x: readonly number[]): number {
  let node = 0;
  let depth = 0;
  for (;;) {
    const q = tree.feature[node] as number;
    if (q < 0) return depth + averagePathLength(tree.size[node] as number);
    node = ((x[q] as number) <= (tree.split[node] as number) ? tree.left[node] : tree.right[node]) as number;
    depth++;
  }
}
