export { createRng, type Rng, type RngState } from './rng.js';
