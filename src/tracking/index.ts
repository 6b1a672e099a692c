export { normalizeArtifactPath } from './artifact-path.js';
export type { TrackingDeps } from './deps.js';
export { LIMITS, validateKey, validateMaxResults, validateValue } from './limits.js';
export type { SampledHistoryInput } from './metric-history.js';
export { offsetToken, pageOffset } from './paging.js';
export { createTracking, type Tracking } from './tracking.js';
export * from './types.js';
