export {
  type Average,
  accuracy,
  type PrecisionRecallF1,
  perLabelCounts,
  precisionRecallF1,
} from './classification.js';
export { logLoss, rocAuc } from './probabilistic.js';
export { mae, rmse } from './regression.js';
export type { Label } from './validate.js';
