export {
  type BinnedCounts,
  type Binning,
  binCounts,
  binShares,
  countWithInnerEdges,
  histogramCounts,
  referenceQuantileEdges,
  sturgesEdges,
} from './binning.js';
export {
  type Chi2ContingencyOptions,
  type Chi2ContingencyResult,
  chi2Contingency,
} from './chi2-contingency.js';
export {
  benjaminiHochberg,
  bonferroni,
  type Correction,
  type CorrectionResult,
  correctPValues,
} from './corrections.js';
export { type CvmOptions, type CvmResult, cramerVonMises2Samp } from './cvm-2samp.js';
export { cvmLimitCdf } from './cvm-limit.js';
export {
  jensenShannonDistance,
  normalizedWasserstein,
  populationStabilityIndex,
  populationStd,
  wassersteinDistance,
} from './distances.js';
export { durbinMatrixCdf } from './durbin-matrix.js';
export { type FisherResult, fisherExact } from './fisher-exact.js';
export { kolmogorovSf, pelzGoodCdf } from './kolmogorov.js';
export { type Alternative, type KsOptions, type KsResult, ks2Samp, ks2SampSorted } from './ks-2samp.js';
export { type AucTestResult, aucTest } from './mann-whitney.js';
export { median, quantile, quantileSorted } from './quantile.js';
export { smirnovSf } from './smirnov.js';
export { averageRanks, lowerBound, sortedCopy, upperBound } from './sorting.js';
export { besselKScaledDown, chi2Sf, logGamma, normalCdf, normalSf } from './special.js';
export { twoProportionZTest, type ZTestResult } from './z-test.js';
