import type { Rng } from '../../random/index.js';

/**
 * CART tree growing (Breiman et al. 1984, Classification and Regression Trees) with the split rules
 * sklearn's DecisionTree* uses: best threshold over every feature (or a random subset), threshold at
 * the midpoint of adjacent distinct values, depth-first node numbering, split while the node is
 * impure, deeper than max depth allows, and a valid position exists. Features are stored as float32
 * (as sklearn does) so that float32 ONNX inference takes exactly the same branches.
 */

/** Split quality: Gini or entropy for classes, squared error for regression. */
export type Criterion = 'gini' | 'entropy' | 'squared_error';

export interface CartOptions {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features examined per split (all when >= F). */
  maxFeatures: number;
}

export type CartTarget =
  | { kind: 'classes'; y: Int32Array; nClasses: number }
  | { kind: 'values'; y: Float64Array };

/** Features rounded to float32 and, per feature, all row ids sorted by value (computed once). */
export interface SortedDesign {
  x: Float64Array;
  n: number;
  f: number;
  order: Int32Array[];
}

/** A grown tree in the array layout of onnx TreeStructure plus per-node sample counts. */
export interface GrownTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  width: number;
  samples: Float64Array;
}

/** Rounds features to float32 and argsorts every column once. */
export function presort(data: Float64Array, n: number, f: number): SortedDesign {
  const x = data.map(Math.fround);
  const order = Array.from({ length: f }, (_, j) => {
    const col = Float64Array.from({ length: n }, (_, i) => x[i * f + j]!);
    return Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a]! - col[b]! || a - b);
  });
  return { x, n, f, order };
}

interface Best {
  score: number;
  feature: number;
  pos: number;
  threshold: number;
}

const xlogx = (v: number) => (v > 0 ? v * Math.log(v) : 0);

class Grower {
  private readonly ord: Int32Array[];
  private readonly buf: Int32Array;
  private readonly goesLeft: Uint8Array;
  private readonly width: number;
  private readonly nodes = {
    feature: [] as number[],
    threshold: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
    samples: [] as number[],
  };

  constructor(
    private readonly sd: SortedDesign,
    private readonly target: CartTarget,
    rows: Int32Array | null,
    private readonly opt: CartOptions,
    private readonly rng: Rng | null,
  ) {
    this.width = target.kind === 'classes' ? target.nClasses : 1;
    const count = new Int32Array(sd.n);
    if (rows === null) count.fill(1);
    else for (const r of rows) count[r]!++;
    const m = rows === null ? sd.n : rows.length;
    // Per feature, the node's rows stay contiguous and sorted: splits partition them stably.
    this.ord = sd.order.map((global) => {
      const out = new Int32Array(m);
      let k = 0;
      for (const r of global) for (let c = count[r]!; c > 0; c--) out[k++] = r;
      return out;
    });
    this.buf = new Int32Array(m);
    this.goesLeft = new Uint8Array(sd.n);
  }

  grow(): GrownTree {
    const stack: { start: number; end: number; depth: number; parent: number; isLeft: boolean }[] = [
      { start: 0, end: this.buf.length, depth: 0, parent: -1, isLeft: false },
    ];
    while (stack.length > 0) {
      const { start, end, depth, parent, isLeft } = stack.pop()!;
      const id = this.addNode(start, end);
      if (parent >= 0) (isLeft ? this.nodes.left : this.nodes.right)[parent] = id;
      const n = end - start;
      if (
        depth >= this.opt.maxDepth ||
        n < this.opt.minSamplesSplit ||
        n < 2 * this.opt.minSamplesLeaf ||
        this.isPure(start, end)
      )
        continue;
      const best = this.findSplit(start, end);
      if (best === null) continue;
      this.nodes.feature[id] = best.feature;
      this.nodes.threshold[id] = best.threshold;
      this.partition(start, end, best);
      const mid = start + best.pos;
      // Right is pushed first so the left child is numbered next (depth-first, like sklearn).
      stack.push({ start: mid, end, depth: depth + 1, parent: id, isLeft: false });
      stack.push({ start, end: mid, depth: depth + 1, parent: id, isLeft: true });
    }
    const nd = this.nodes;
    return {
      feature: Int32Array.from(nd.feature),
      threshold: Float64Array.from(nd.threshold),
      left: Int32Array.from(nd.left),
      right: Int32Array.from(nd.right),
      value: Float64Array.from(nd.value),
      width: this.width,
      samples: Float64Array.from(nd.samples),
    };
  }

  private addNode(start: number, end: number): number {
    const nd = this.nodes;
    const id = nd.feature.length;
    nd.feature.push(-1);
    nd.threshold.push(0);
    nd.left.push(-1);
    nd.right.push(-1);
    nd.samples.push(end - start);
    const rows = this.ord[0]!;
    const t = this.target;
    if (t.kind === 'classes') {
      const counts = new Float64Array(t.nClasses);
      for (let i = start; i < end; i++) counts[t.y[rows[i]!]!]!++;
      for (const c of counts) nd.value.push(c / (end - start));
    } else {
      let s = 0;
      for (let i = start; i < end; i++) s += t.y[rows[i]!]!;
      nd.value.push(s / (end - start));
    }
    return id;
  }

  private isPure(start: number, end: number): boolean {
    const rows = this.ord[0]!;
    const y = this.target.y;
    const first = y[rows[start]!]!;
    for (let i = start + 1; i < end; i++) if (y[rows[i]!] !== first) return false;
    return true;
  }

  private featureOrder(): number[] {
    const f = this.sd.f;
    const all = Array.from({ length: f }, (_, j) => j);
    if (this.opt.maxFeatures >= f || this.rng === null) return all;
    for (let i = f - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all;
  }

  private findSplit(start: number, end: number): Best | null {
    const { x, f } = this.sd;
    let best: Best | null = null;
    let visited = 0;
    for (const g of this.featureOrder()) {
      if (visited >= this.opt.maxFeatures) break;
      const rows = this.ord[g]!;
      // Constant features do not count against maxFeatures (sklearn draws again in that case).
      if (x[rows[start]! * f + g] === x[rows[end - 1]! * f + g]) continue;
      visited++;
      const found = this.scanFeature(g, start, end, best?.score ?? Number.NEGATIVE_INFINITY);
      if (found !== null) best = found;
    }
    return best;
  }

  // Finds the best position on feature g whose proxy score beats `bar` (strictly, first wins on ties).
  // Proxies (larger is better, equal to −(weighted child impurity) up to a node constant):
  // gini Σc_L²/n_L + Σc_R²/n_R; entropy Σc log c − n log n per child; squared error S_L²/n_L + S_R²/n_R.
  private scanFeature(g: number, start: number, end: number, bar: number): Best | null {
    const { x, f } = this.sd;
    const rows = this.ord[g]!;
    const n = end - start;
    const minLeaf = this.opt.minSamplesLeaf;
    const t = this.target;
    let best: Best | null = null;
    const consider = (i: number, score: number) => {
      const nL = i - start + 1;
      if (nL < minLeaf || n - nL < minLeaf || !(score > (best?.score ?? bar))) return;
      const a = x[rows[i]! * f + g]!;
      const b = x[rows[i + 1]! * f + g]!;
      if (!(a < b)) return;
      let threshold = Math.fround(a / 2 + b / 2);
      if (threshold >= b) threshold = a;
      best = { score, feature: g, pos: nL, threshold };
    };
    if (t.kind === 'values') {
      let sumR = 0;
      for (let i = start; i < end; i++) sumR += t.y[rows[i]!]!;
      let sumL = 0;
      for (let i = start; i < end - 1; i++) {
        const v = t.y[rows[i]!]!;
        sumL += v;
        sumR -= v;
        const nL = i - start + 1;
        consider(i, (sumL * sumL) / nL + (sumR * sumR) / (n - nL));
      }
      return best;
    }
    const k = t.nClasses;
    const cL = new Float64Array(k);
    const cR = new Float64Array(k);
    for (let i = start; i < end; i++) cR[t.y[rows[i]!]!]!++;
    const gini = this.opt.criterion === 'gini';
    let aggL = 0;
    let aggR = 0;
    for (let c = 0; c < k; c++) aggR += gini ? cR[c]! * cR[c]! : xlogx(cR[c]!);
    for (let i = start; i < end - 1; i++) {
      const c = t.y[rows[i]!]!;
      const l = cL[c]!;
      const r = cR[c]!;
      if (gini) {
        aggL += 2 * l + 1;
        aggR -= 2 * r - 1;
      } else {
        aggL += xlogx(l + 1) - xlogx(l);
        aggR += xlogx(r - 1) - xlogx(r);
      }
      cL[c] = l + 1;
      cR[c] = r - 1;
      const nL = i - start + 1;
      const nR = n - nL;
      consider(i, gini ? aggL / nL + aggR / nR : aggL - xlogx(nL) + aggR - xlogx(nR));
    }
    return best;
  }

  private partition(start: number, end: number, best: Best): void {
    const { x, f } = this.sd;
    const rows = this.ord[best.feature]!;
    for (let i = start; i < end; i++)
      this.goesLeft[rows[i]!] = x[rows[i]! * f + best.feature]! <= best.threshold ? 1 : 0;
    for (const arr of this.ord) {
      let l = start;
      let r = 0;
      for (let i = start; i < end; i++) {
        const row = arr[i]!;
        if (this.goesLeft[row] === 1) arr[l++] = row;
        else this.buf[r++] = row;
      }
      arr.set(this.buf.subarray(0, r), l);
    }
  }
}

/** Grows one tree on `rows` (a multiset of row ids; null = every row once). */
export function growTree(
  sd: SortedDesign,
  target: CartTarget,
  rows: Int32Array | null,
  options: CartOptions,
  rng: Rng | null,
): GrownTree {
  return new Grower(sd, target, rows, options, rng).grow();
}

/** Leaf reached by a row (features rounded to float32, as at training time). */
export function leafIndex(tree: GrownTree, row: ArrayLike<number>, offset = 0): number {
  let i = 0;
  while (tree.left[i]! >= 0)
    i = Math.fround(row[offset + tree.feature[i]!]!) <= tree.threshold[i]! ? tree.left[i]! : tree.right[i]!;
  return i;
}
