import { invalidArgument } from '../../errors/index.js';
import { featureNamesOrDefault, type ShapExplanation } from '../common/explanation.js';
import { outputsFirst } from '../common/model.js';
import { assertMatrix, normaliseWeights } from '../common/validate.js';
import { assertCovers } from './covers.js';
import { createInterventionalAccumulator } from './interventional.js';
import { createPathDependentWorkspace, pathDependentExpectation } from './path-dependent.js';
import { predictRaw } from './predict.js';
import { assertAdditive, maxDepth, type TreeEnsemble, treeScale, validateEnsemble } from './tree-ensemble.js';

/** How absent features are modelled (shap's `feature_perturbation`). */
export type FeaturePerturbation = 'auto' | 'tree_path_dependent' | 'interventional';

export interface TreeShapOptions {
  /** 'auto' (default): interventional when a background is given, else tree_path_dependent. */
  featurePerturbation?: FeaturePerturbation;
  /** Background rows for the interventional game (100-1000 rows is the usual advice). */
  background?: number[][];
  backgroundWeights?: number[];
  featureNames?: string[];
}

/**
 * Exact TreeSHAP values of the ensemble's raw margin (before post_transform): path-dependent
 * (conditional expectations from node covers) or interventional (marginal over a background set).
 */
export function treeShap(e: TreeEnsemble, rows: number[][], options: TreeShapOptions = {}): ShapExplanation {
  validateEnsemble(e);
  assertAdditive(e);
  assertMatrix('rows', rows, e.nFeatures);
  const requested = options.featurePerturbation ?? 'auto';
  const mode =
    requested === 'auto' ? (options.background ? 'interventional' : 'tree_path_dependent') : requested;
  const k = e.nOutputs;
  const m = e.nFeatures;
  const scale = treeScale(e);
  const depth = maxDepth(e);
  const outputs = outputsFirst(predictRaw(e, rows));
  const values = Array.from({ length: k }, () => rows.map(() => new Array<number>(m).fill(0)));
  let baseValues: number[];
  const details: ShapExplanation['details'] = {
    featurePerturbation: mode,
    trees: e.trees.length,
    maxDepth: depth,
  };

  if (mode === 'tree_path_dependent') {
    assertCovers(e);
    baseValues = [...e.baseValues];
    for (const tree of e.trees) {
      pathDependentExpectation(tree, k).forEach((v, o) => {
        baseValues[o]! += scale * v;
      });
    }
    const workspace = createPathDependentWorkspace(depth);
    rows.forEach((x, i) => {
      const phi = new Float64Array(m * k);
      for (const tree of e.trees) workspace.accumulate(tree, x, k, scale, phi);
      scatter(phi, values, i, m, k);
    });
  } else if (mode === 'interventional') {
    const bg = options.background;
    if (!bg) throw invalidArgument('interventional TreeSHAP needs a background dataset');
    assertMatrix('background', bg, m);
    const w = normaliseWeights('backgroundWeights', bg.length, options.backgroundWeights);
    const bgOut = predictRaw(e, bg);
    baseValues = Array.from({ length: k }, (_, o) => bgOut.reduce((acc, row, b) => acc + w[b]! * row[o]!, 0));
    const accumulate = createInterventionalAccumulator(m, depth);
    rows.forEach((x, i) => {
      const phi = new Float64Array(m * k);
      for (const tree of e.trees) {
        for (let b = 0; b < bg.length; b++) accumulate(tree, x, bg[b]!, k, w[b]! * scale, phi);
      }
      scatter(phi, values, i, m, k);
    });
    details.backgroundSize = bg.length;
  } else {
    throw invalidArgument(`unknown featurePerturbation '${String(requested)}'`);
  }
  return {
    method: mode === 'interventional' ? 'tree-interventional' : 'tree-path-dependent',
    featureNames: featureNamesOrDefault(m, options.featureNames),
    baseValues,
    values,
    outputs,
    data: rows.map((r) => [...r]),
    details,
  };
}

function scatter(phi: Float64Array, values: number[][][], row: number, m: number, k: number): void {
  for (let j = 0; j < m; j++) for (let o = 0; o < k; o++) values[o]![row]![j] = phi[j * k + o]!;
}
