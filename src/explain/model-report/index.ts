export { type AssessModelInput, type Assessment, assessModel, assessmentReport } from './assess-model.js';
export {
  type ExplainMethod,
  type ExplainModelInput,
  explainModel,
  meanAbsoluteShap,
} from './explain-model.js';
export { numericRows, type TabularModel, tabularModel, treeEnsembleOf } from './tabular-model.js';
