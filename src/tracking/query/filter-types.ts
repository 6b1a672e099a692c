/** The kind of thing a search identifier names (`metrics.x`, `params.x`, `tags.x`, `run_id`, `datasets.x`). */
export type FilterEntity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

/** Comparators of MLflow's search grammar (reference/tracking.md §2). */
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

/**
 * One `<entity>.<key> <comparator> <value>` comparison; a filter is the AND of its clauses.
 * `value` is a number for numeric keys (metrics, times), a string for string keys, and a
 * string list for IN / NOT IN. Attribute keys are canonical (`created` arrives as `start_time`).
 */
export interface FilterClause {
  entity: FilterEntity;
  key: string;
  comparator: Comparator;
  value: string | number | string[];
}

/** One ORDER BY term: `metrics.rmse DESC` → `{ entity: 'metric', key: 'rmse', ascending: false }`. */
export interface OrderByClause {
  entity: FilterEntity;
  key: string;
  ascending: boolean;
}

/** How one key may be used: its value type, the comparators a filter may apply, and whether it can order results. */
export interface KeySpec {
  readonly type: 'string' | 'number';
  readonly comparators: readonly Comparator[];
  readonly orderable: boolean;
}

/** One entity of a search grammar: its prefixes and either any key (`openKeys`) or a closed key table. */
export interface EntityGrammar {
  /** Prefixes accepted before the dot, lower-case (`metric`, `metrics`); matched case-insensitively. */
  readonly prefixes: readonly string[];
  /** Spec shared by every key when the key set is open (metrics, params, tags). */
  readonly openKeys?: KeySpec;
  /** Closed key set: canonical key → spec (attributes, dataset fields). */
  readonly keys?: Readonly<Record<string, KeySpec>>;
  /** Alternative spellings, lower-case alias → canonical key (`created` → `start_time`). */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** A whole search grammar as data: which entities exist and which keys/comparators each allows. */
export interface SearchGrammar {
  /** What is searched, for error messages ("runs", "experiments"). */
  readonly target: string;
  /** Entity of an identifier written without a prefix (MLflow: attribute). */
  readonly defaultEntity: FilterEntity;
  readonly entities: Readonly<Partial<Record<FilterEntity, EntityGrammar>>>;
}
