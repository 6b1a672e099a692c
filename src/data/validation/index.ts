// Data validation, TFDV / Great Expectations style: streaming profiles of CSV and Parquet
// files (bounded memory: exact statistics up to a limit, then KLL, HyperLogLog and
// Misra–Gries sketches), schemas inferred from a profile, and anomalies against a schema
// and a reference profile.

export {
  type ColumnSchema,
  type DataSchema,
  formatSchema,
  type InferOptions,
  inferSchema,
  parseSchema,
} from './data-schema.js';
export { jensenShannonDivergence, lInfinityDistance } from './drift.js';
export { FrequentValues } from './frequent-values.js';
export { HyperLogLog } from './hyperloglog.js';
export { KllSketch } from './kll-sketch.js';
export { DEFAULT_LIMITS, formatOf, type ProfileOptions, profileFile } from './profile-file.js';
export {
  COLUMN_TYPES,
  type ColumnProfile,
  type ColumnType,
  type DataFormat,
  type DatasetProfile,
  type DistinctCount,
  type Histogram,
  type NumericStats,
} from './types.js';
export { ANOMALY_KINDS, type Anomaly, type AnomalyKind, validateProfile } from './validate.js';
export {
  readProfileFile,
  readSchemaFile,
  type ValidationReport,
  validateFile,
  writeTextFile,
} from './validation-files.js';
