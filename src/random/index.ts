export { sampleBeta, sampleGamma } from './distributions.js';
export { createRng, type Rng, type RngState } from './rng.js';
