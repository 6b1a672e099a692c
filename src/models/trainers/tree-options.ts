import { invalidArgument } from '../../errors/index.js';
import type { TreeStructure } from '../onnx/index.js';
import type { CartOptions, Criterion, GrownTree } from './cart.js';
import { positiveInt } from './data.js';

/** Size limits shared by every tree learner (sklearn names in camelCase). */
export interface TreeGrowthOptions {
  /** Default: unlimited (grow until pure). */
  maxDepth?: number;
  /** Default 2. */
  minSamplesSplit?: number;
  /** Default 1. */
  minSamplesLeaf?: number;
  /** Features tried per split: a count >= 1, a fraction in (0, 1), 'sqrt', 'log2' or 'all' (default). */
  maxFeatures?: number | 'sqrt' | 'log2' | 'all';
}

/** Resolves tree options to the numbers CART uses, validating them. */
export function resolveCartOptions(
  options: TreeGrowthOptions,
  criterion: Criterion,
  nFeatures: number,
  defaultMaxFeatures: TreeGrowthOptions['maxFeatures'] = 'all',
): CartOptions {
  const mf = options.maxFeatures ?? defaultMaxFeatures;
  let maxFeatures: number;
  if (mf === 'all') maxFeatures = nFeatures;
  else if (mf === 'sqrt') maxFeatures = Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  else if (mf === 'log2') maxFeatures = Math.max(1, Math.floor(Math.log2(nFeatures)));
  else if (typeof mf === 'number' && mf > 0 && mf < 1) maxFeatures = Math.max(1, Math.floor(mf * nFeatures));
  else if (typeof mf === 'number' && Number.isInteger(mf) && mf >= 1) maxFeatures = Math.min(mf, nFeatures);
  else
    throw invalidArgument(
      `maxFeatures must be a positive count, a fraction in (0, 1], 'sqrt', 'log2' or 'all', got ${mf}`,
    );
  return {
    criterion,
    maxDepth: positiveInt('maxDepth', options.maxDepth, Number.POSITIVE_INFINITY),
    minSamplesSplit: Math.max(2, positiveInt('minSamplesSplit', options.minSamplesSplit, 2)),
    minSamplesLeaf: positiveInt('minSamplesLeaf', options.minSamplesLeaf, 1),
    maxFeatures,
  };
}

/**
 * A classification tree as an ONNX TreeStructure: C > 2 keeps the class fractions; C = 2 keeps only
 * the positive-class fraction (the binary layout TreeEnsembleClassifier expects).
 */
export function classTreeForOnnx(tree: GrownTree): TreeStructure {
  if (tree.width !== 2) return tree;
  return { ...tree, value: tree.value.filter((_, i) => i % 2 === 1), width: 1 };
}
