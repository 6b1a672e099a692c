import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { additivityError } from '../common/explanation.js';
import { exactShapleyValues } from '../common/shapley.js';
import { randomEnsemble, randomRows } from '../test-support/random-trees.js';
import { withCoversFromData } from './covers.js';
import { createTree, type TreeEnsemble } from './tree-ensemble.js';
import { treeShap } from './tree-shap.js';
import { interventionalValue, pathDependentValue } from './value-functions.js';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (diff ${Math.abs(a - b)})`);

// Largest |ref[o][j] - values[o][row][j]| over outputs and features.
function deviation(ref: number[][], values: number[][][], row: number): number {
  let worst = 0;
  ref.forEach((phi, o) => {
    phi.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - values[o]![row]![j]!));
    });
  });
  return worst;
}

describe('TreeSHAP path-dependent', () => {
  it('matches a hand-computed stump', () => {
    // x0 <= 0.5 -> 1 (cover 3), else 3 (cover 1): E[f] = (3*1 + 1*3)/4 = 1.5, so for x0 = 1
    // phi_0 = f(x) - E[f] = 3 - 1.5 = 1.5 and phi_1 = 0 (feature 1 is never used).
    const tree = createTree({
      feature: [0, -1, -1],
      threshold: [0.5, 0, 0],
      left: [1, -1, -1],
      right: [2, -1, -1],
      values: [0, 1, 3],
      cover: [4, 3, 1],
    });
    const e: TreeEnsemble = {
      nFeatures: 2,
      nOutputs: 1,
      trees: [tree],
      baseValues: [0],
      aggregate: 'SUM',
      postTransform: 'NONE',
    };
    const r = treeShap(e, [[1, 7]]);
    assert.equal(r.method, 'tree-path-dependent');
    close(r.baseValues[0]!, 1.5, 1e-12, 'base');
    close(r.values[0]![0]![0]!, 1.5, 1e-12, 'phi0');
    assert.equal(r.values[0]![0]![1], 0);
  });

  it('equals brute-force Shapley values of E[f(x) | x_S] on random trees (60 cases)', () => {
    // Expected values: exactShapleyValues enumerates all 2^M coalitions of the path-dependent game,
    // whose value pathDependentValue computes straight from its definition (cover-weighted recursion).
    const rng = createRng(11);
    let worst = 0;
    for (let c = 0; c < 60; c++) {
      const m = 2 + rng.int(6);
      const e = randomEnsemble(rng, {
        m,
        trees: 1 + rng.int(3),
        depth: 1 + rng.int(5),
        k: 1 + rng.int(2),
        average: c % 5 === 0,
      });
      const rows = randomRows(rng, 3, m, 0.1);
      const r = treeShap(e, rows, { featurePerturbation: 'tree_path_dependent' });
      rows.forEach((x, i) => {
        const ref = exactShapleyValues(m, (mask) => pathDependentValue(e, x, (j) => ((mask >> j) & 1) === 1));
        worst = Math.max(worst, deviation(ref, r.values, i));
        const empty = pathDependentValue(e, x, () => false);
        for (const [o, v] of empty.entries()) close(r.baseValues[o]!, v, 1e-9, 'base value = E[f]');
      });
    }
    assert.ok(worst < 1e-9, `worst deviation ${worst}`);
  });

  it('is additive within 1e-6 on a larger ensemble (20 trees, depth 6, 3 outputs)', () => {
    const rng = createRng(5);
    const e = randomEnsemble(rng, { m: 20, trees: 20, depth: 6, k: 3, coverRows: 500 });
    const r = treeShap(e, randomRows(rng, 25, 20));
    assert.ok(additivityError(r) < 1e-6, `additivity error ${additivityError(r)}`);
  });

  it('refuses ensembles without covers and non-additive aggregates', () => {
    const rng = createRng(1);
    const e = randomEnsemble(rng, { m: 3, trees: 2, depth: 3, k: 1 });
    const bare: TreeEnsemble = {
      ...e,
      trees: e.trees.map((t) => ({ ...t, cover: new Float64Array(t.cover.length) })),
    };
    assert.throws(() => treeShap(bare, [[0, 0, 0]]), /covers/);
    assert.doesNotThrow(() => treeShap(withCoversFromData(bare, randomRows(rng, 50, 3)), [[0, 0, 0]]));
    assert.throws(() => treeShap({ ...e, aggregate: 'MAX' }, [[0, 0, 0]]), /not additive/);
    assert.throws(() => treeShap(e, [[0, 0]]), /3 columns/);
  });
});

describe('TreeSHAP interventional', () => {
  it('equals brute-force Shapley values of E_r[f(x_S, r_notS)] on random trees (50 cases)', () => {
    // Expected values: exactShapleyValues over all 2^M coalitions of the interventional game, each
    // coalition valued by evaluating the model on hybrid rows against every (weighted) background row.
    const rng = createRng(23);
    let worst = 0;
    for (let c = 0; c < 50; c++) {
      const m = 2 + rng.int(7);
      const e = randomEnsemble(rng, {
        m,
        trees: 1 + rng.int(3),
        depth: 1 + rng.int(5),
        k: 1 + rng.int(2),
        average: c % 4 === 0,
      });
      const bg = randomRows(rng, 2 + rng.int(8), m, 0.1);
      const weights = c % 3 === 0 ? bg.map(() => 0.5 + rng.next()) : undefined;
      const rows = randomRows(rng, 2, m, 0.1);
      const r = treeShap(e, rows, { background: bg, ...(weights ? { backgroundWeights: weights } : {}) });
      assert.equal(r.method, 'tree-interventional');
      rows.forEach((x, i) => {
        const ref = exactShapleyValues(m, (mask) =>
          interventionalValue(e, x, (j) => ((mask >> j) & 1) === 1, bg, weights),
        );
        worst = Math.max(worst, deviation(ref, r.values, i));
      });
    }
    assert.ok(worst < 1e-9, `worst deviation ${worst}`);
  });

  it('is additive within 1e-6 against a 100-row background', () => {
    const rng = createRng(8);
    const e = randomEnsemble(rng, { m: 12, trees: 15, depth: 5, k: 2 });
    const r = treeShap(e, randomRows(rng, 10, 12), { background: randomRows(rng, 100, 12) });
    assert.ok(additivityError(r) < 1e-6, `additivity error ${additivityError(r)}`);
  });
});
