import type { Rng } from '../../random/index.js';
import { withCoversFromData } from '../tree/covers.js';
import { createTree, type NodeMode, type Tree, type TreeEnsemble } from '../tree/tree-ensemble.js';

/*
 * Random tree ensembles for property tests. Thresholds are drawn from a small grid so that ties
 * between inputs and thresholds (the LEQ/LT distinction) actually happen; some rows contain NaN.
 */

const MODES: NodeMode[] = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'];

/** A random tree over `m` features, at most `depth` deep, with `k` outputs per leaf. */
export function randomTree(rng: Rng, m: number, depth: number, k: number): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const mode: NodeMode[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const missing: boolean[] = [];
  const values: number[][] = [];
  const grow = (d: number): number => {
    const id = feature.length;
    feature.push(-1);
    threshold.push(0);
    mode.push('LEAF');
    left.push(-1);
    right.push(-1);
    missing.push(false);
    values.push(new Array(k).fill(0));
    if (d >= depth || (d > 0 && rng.next() < 0.2)) {
      values[id] = Array.from({ length: k }, () => Math.round((rng.next() * 10 - 5) * 100) / 100);
      return id;
    }
    feature[id] = rng.int(m);
    threshold[id] = rng.int(5) / 4;
    mode[id] = rng.next() < 0.6 ? 'BRANCH_LEQ' : MODES[rng.int(MODES.length)]!;
    missing[id] = rng.next() < 0.5;
    const l = grow(d + 1);
    const r = grow(d + 1);
    left[id] = l;
    right[id] = r;
    return id;
  };
  grow(0);
  return createTree({ feature, threshold, mode, left, right, missingGoesLeft: missing, values }, k);
}

/** Random rows on the same grid as the thresholds (plus noise), with occasional NaN. */
export function randomRows(rng: Rng, n: number, m: number, nanRate = 0.05): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: m }, () => {
      if (rng.next() < nanRate) return Number.NaN;
      return rng.next() < 0.5 ? rng.int(5) / 4 : rng.next() * 1.2 - 0.1;
    }),
  );
}

/** A random ensemble with covers computed from `coverRows` random rows. */
export function randomEnsemble(
  rng: Rng,
  opts: { m: number; trees: number; depth: number; k: number; coverRows?: number; average?: boolean },
): TreeEnsemble {
  const e: TreeEnsemble = {
    nFeatures: opts.m,
    nOutputs: opts.k,
    trees: Array.from({ length: opts.trees }, () => randomTree(rng, opts.m, opts.depth, opts.k)),
    baseValues: Array.from({ length: opts.k }, () => rng.next() - 0.5),
    aggregate: opts.average ? 'AVERAGE' : 'SUM',
    postTransform: 'NONE',
  };
  return withCoversFromData(e, randomRows(rng, opts.coverRows ?? 200, opts.m));
}
