export {
  type OutputKind,
  type PredictionDistance,
  predictionDistance,
  softmax,
} from './prediction-distance.js';
export { type FeatureRanges, featureRanges, type Squeezer, squeeze } from './squeezers.js';
export {
  type PredictFn,
  PredictionStabilityDetector,
  type StabilityOptions,
  type StabilityState,
} from './stability-detector.js';
