export {
  type DisparateImpact,
  type DisparityMethod,
  demographicParityDifference,
  demographicParityRatio,
  disparityDifference,
  disparityRatio,
  equalizedOddsDifference,
  equalOpportunityDifference,
  type FairnessOptions,
  type FairnessReport,
  FOUR_FIFTHS_CAVEAT,
  fairnessReport,
} from './fairness-metrics.js';
export {
  type GroupRateOptions,
  type GroupRates,
  groupRates,
  type RateName,
  type SensitiveFeatures,
} from './group-rates.js';
