import type { Comparator, KeySpec, SearchGrammar } from './filter-types.js';

// The tables below are the whole difference between the searches: one parser reads them all.
// Sources: https://mlflow.org/docs/latest/ml/search/search-runs ("Search Query Syntax Deep
// Dive", "Searching By Run's Metadata", "Searching over a Set"), .../search-experiments, and
// reference/tracking.md §2.

const NUMERIC: readonly Comparator[] = ['=', '!=', '>', '>=', '<', '<='];
const STRING: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const STRING_OR_SET: readonly Comparator[] = [...STRING, 'IN', 'NOT IN'];

const str = (comparators = STRING, orderable = true): KeySpec => ({ type: 'string', comparators, orderable });
const num = (orderable = true): KeySpec => ({ type: 'number', comparators: NUMERIC, orderable });
/** A key that can order results but not be filtered on. */
const orderOnly = (type: 'string' | 'number'): KeySpec => ({ type, comparators: [], orderable: true });

/** Freezes a grammar table and everything in it, so a shared table cannot be altered by a caller. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const METRIC_PREFIXES = ['metric', 'metrics'];
const PARAM_PREFIXES = ['param', 'params', 'parameter', 'parameters'];
const TAG_PREFIXES = ['tag', 'tags'];
const ATTRIBUTE_PREFIXES = ['attribute', 'attributes', 'attr', 'run'];
const DATASET_PREFIXES = ['dataset', 'datasets'];

/**
 * search_runs. `lifecycle_stage` is an Osprey extension: MLflow rejects it in filters because
 * `run_view_type` already selects it, but accepting it costs nothing and breaks no client.
 * IN / NOT IN are allowed on `run_id` and dataset fields only, as MLflow documents.
 */
export const RUN_SEARCH_GRAMMAR: SearchGrammar = deepFreeze({
  target: 'runs',
  defaultEntity: 'attribute',
  entities: {
    metric: { prefixes: METRIC_PREFIXES, openKeys: num() },
    param: { prefixes: PARAM_PREFIXES, openKeys: str() },
    tag: { prefixes: TAG_PREFIXES, openKeys: str() },
    attribute: {
      prefixes: ATTRIBUTE_PREFIXES,
      keys: {
        run_id: str(STRING_OR_SET),
        run_name: str(),
        status: str(),
        user_id: str(),
        artifact_uri: str(),
        lifecycle_stage: str(),
        start_time: num(),
        end_time: num(),
        experiment_id: orderOnly('string'),
      },
      // Documented aliases: `created`/`Created` → start_time; `run name`/`Run name`/`Run Name` → run_name.
      aliases: { created: 'start_time', 'run name': 'run_name' },
    },
    dataset: {
      prefixes: DATASET_PREFIXES,
      keys: {
        name: str(STRING_OR_SET, false),
        digest: str(STRING_OR_SET, false),
        context: str(STRING_OR_SET, false),
      },
    },
  },
});

/** search_experiments: attributes name, creation_time, last_update_time (+ experiment_id for ordering) and tags. */
export const EXPERIMENT_SEARCH_GRAMMAR: SearchGrammar = deepFreeze({
  target: 'experiments',
  defaultEntity: 'attribute',
  entities: {
    tag: { prefixes: TAG_PREFIXES, openKeys: str(STRING, false) },
    attribute: {
      prefixes: ['attribute', 'attributes', 'attr'],
      keys: {
        name: str(),
        creation_time: num(),
        last_update_time: num(),
        experiment_id: orderOnly('string'),
      },
    },
  },
});

/** search_registered_models: `name` and tags; orders by name and timestamps. */
export const REGISTERED_MODEL_SEARCH_GRAMMAR: SearchGrammar = deepFreeze({
  target: 'registered models',
  defaultEntity: 'attribute',
  entities: {
    tag: { prefixes: TAG_PREFIXES, openKeys: str(STRING, false) },
    attribute: {
      prefixes: ['attribute', 'attributes', 'attr'],
      keys: {
        name: str(STRING_OR_SET),
        creation_timestamp: orderOnly('number'),
        last_updated_timestamp: orderOnly('number'),
      },
      aliases: { timestamp: 'last_updated_timestamp' },
    },
  },
});

/** search_model_versions: name, run_id, source (alias source_path), version_number and tags. */
export const MODEL_VERSION_SEARCH_GRAMMAR: SearchGrammar = deepFreeze({
  target: 'model versions',
  defaultEntity: 'attribute',
  entities: {
    tag: { prefixes: TAG_PREFIXES, openKeys: str(STRING, false) },
    attribute: {
      prefixes: ['attribute', 'attributes', 'attr'],
      keys: {
        name: str(STRING_OR_SET),
        run_id: str(STRING_OR_SET),
        source: str(),
        version_number: num(),
        creation_timestamp: orderOnly('number'),
        last_updated_timestamp: orderOnly('number'),
      },
      aliases: { source_path: 'source', version: 'version_number', timestamp: 'last_updated_timestamp' },
    },
  },
});
