// Experiments: the pipeline run with changed params (sweeps over their cross product) in isolated
// workspaces, each execution a tracking run with its lineage; params and metrics diffs.
export { type DiffOptions, type DiffRow, metricsDiff, paramsDiff, WORKSPACE } from './diff.js';
export { expandSets, type Flat, flatten, formatSet, writeOverrides } from './params.js';
export {
  EXP_SET_TAG,
  type ExperimentEvent,
  type ExperimentResult,
  type ExperimentsOptions,
  runExperiments,
} from './run.js';
