export {
  defaultGrid,
  type PartialDependenceOptions,
  type PartialDependenceResult,
  partialDependence,
} from './partial-dependence.js';
export {
  type PermutationImportanceOptions,
  type PermutationImportanceResult,
  permutationImportance,
  type Scorer,
} from './permutation-importance.js';
