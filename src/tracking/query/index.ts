// Database-independent pieces of search and metric history: MLflow's filter / order_by grammar
// parsed into typed clauses, opaque page tokens, SQL LIKE semantics in JS, and min/max-preserving
// downsampling with SQL-compatible step buckets.

export {
  downsampleIndices,
  downsampleMetricHistory,
  type MetricPoint,
  mergeBucketCandidates,
  selectIndicesInBuckets,
} from './downsample.js';
export {
  parseExperimentFilter,
  parseFilter,
  parseRegistryFilter,
  parseRunFilter,
  type RegistrySearchTarget,
  registryGrammar,
} from './filter-parser.js';
export type {
  Comparator,
  EntityGrammar,
  FilterClause,
  FilterEntity,
  KeySpec,
  OrderByClause,
  SearchGrammar,
} from './filter-types.js';
export { compileLike, type LikeOptions, sqlLike } from './like.js';
export { parseExperimentOrderBy, parseOrderBy, parseRegistryOrderBy, parseRunOrderBy } from './order-by.js';
export { decodePageToken, encodePageToken, type KeysetValue, type PageToken } from './page-token.js';
export {
  EXPERIMENT_SEARCH_GRAMMAR,
  MODEL_VERSION_SEARCH_GRAMMAR,
  REGISTERED_MODEL_SEARCH_GRAMMAR,
  RUN_SEARCH_GRAMMAR,
} from './search-grammars.js';
export {
  BASE_POINTS_PER_BUCKET,
  MIN_DOWNSAMPLE_POINTS,
  planStepBuckets,
  type StepBuckets,
  stepBucketOf,
  stepBucketStart,
} from './step-buckets.js';
