import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectProfile, Schema } from '../store/db/index.js';
import type { FilterClause } from './query/index.js';
import { isKeyed, keyedMatch, keyedTable, type RunSearchSpec, runColumn } from './run-search-sql.js';

/**
 * How one page of a run search is read:
 * - `walk`: the first order_by term is a metric, param or tag; read its `(key, value)` index in the
 *   requested direction and stop after the page (top-k), see top-k-search.ts;
 * - `sort`: read the runs matching `driver` (a filter clause, through its table's `(key, value)`
 *   index), or, without one, the runs of the experiments through the runs table's own indexes, and
 *   sort them (the database walks `runs (experiment_id, start_time)` itself for the default order).
 */
export type RunSearchPlan = { kind: 'walk' } | { kind: 'sort'; driver: FilterClause | undefined };

/** Tuning of the plan choice (tests force each plan with 0 and Infinity). */
export interface RunSearchOptions {
  /**
   * Read a filter's matches and sort them when the filter (or the experiments) holds fewer runs than
   * this; by default max(1000, 4 × (offset + page size)). 0 never does, Infinity always does.
   */
  driverThreshold?: number | undefined;
}

const MIN_DRIVER_ROWS = 1000;
const DRIVER_FACTOR = 4;
// Comparators a `(key, value)` index answers as one range.
const RANGE = new Set(['=', '<', '<=', '>', '>=']);
const LARGEST_LIMIT = 2 ** 31 - 1;

/**
 * Chooses the plan for the page ending at row `need` (offset + page size). The walk reads at least
 * `need` candidates, and `need / selectivity` in general, so a selective filter can make it read the
 * whole index; sorting a driver's matches reads exactly those. Each candidate driver's size is
 * counted up to the threshold in one statement (index-only counts, at most `threshold` entries
 * each); one under the threshold is read and sorted, which costs at most max(1000, 4 × need) rows:
 * a small multiple of the walk's best case, and nothing like its worst.
 */
export async function planRunSearch(
  db: Kysely<Schema>,
  profile: DialectProfile,
  spec: RunSearchSpec,
  need: number,
  options: RunSearchOptions,
): Promise<RunSearchPlan> {
  const first = spec.orderBy[0];
  const walkable = first !== undefined && isKeyed(first.entity);
  const threshold = options.driverThreshold ?? Math.max(MIN_DRIVER_ROWS, DRIVER_FACTOR * need);
  if (threshold <= 0) return walkable ? { kind: 'walk' } : { kind: 'sort', driver: undefined };
  const keyed = spec.filter.filter((c) => isKeyed(c.entity) && RANGE.has(c.comparator));
  if (!walkable && keyed.length === 0) return { kind: 'sort', driver: undefined };

  const cap = Math.min(threshold, LARGEST_LIMIT);
  const listed = spec.filter
    .filter(
      (c) =>
        c.entity === 'attribute' && c.key === 'run_id' && (c.comparator === '=' || c.comparator === 'IN'),
    )
    .map((c) => (Array.isArray(c.value) ? new Set(c.value).size : 1));
  const probes = [runsProbe(spec, cap), ...keyed.map((c) => keyedProbe(profile, c, cap))];
  const selects = probes.map((probe, i) => sql`(${probe}) as ${sql.ref(`c${i}`)}`);
  const { rows } = await sql<Record<string, number | string>>`select ${sql.join(selects)}`.execute(db);
  const counts = probes.map((_, i) => Number(rows[0]![`c${i}`]));
  const runsCount = Math.min(counts[0]!, ...listed);

  let best: { driver: FilterClause | undefined; count: number } = { driver: undefined, count: runsCount };
  keyed.forEach((clause, i) => {
    const count = counts[i + 1]!;
    if (count < best.count) best = { driver: clause, count };
  });
  if (best.count < threshold) return { kind: 'sort', driver: best.driver };
  return walkable ? { kind: 'walk' } : { kind: 'sort', driver: undefined };
}

/** How many runs of the experiments (within the start_time range of the filter) there are, up to `cap`. */
function runsProbe(spec: RunSearchSpec, cap: number): RawBuilder<unknown> {
  const ranges = spec.filter
    .filter((c) => c.entity === 'attribute' && c.key === 'start_time' && RANGE.has(c.comparator))
    .map((c) => sql`and ${runColumn('start_time')} ${sql.raw(c.comparator)} ${c.value}`);
  return sql`select count(*) from (select 1 as one from runs
    where runs.experiment_id in (${sql.join([...spec.experimentIds])}) ${sql.join(ranges, sql` `)}
    limit ${cap}) p`;
}

/** How many rows (of any run) match a keyed clause, up to `cap`: a count over its `(key, value)` index. */
function keyedProbe(profile: DialectProfile, clause: FilterClause, cap: number): RawBuilder<unknown> {
  const entity = clause.entity as 'metric' | 'param' | 'tag';
  return sql`select count(*) from (select 1 as one from ${keyedTable(entity)} d
    where ${keyedMatch(profile, 'd', clause)} limit ${cap}) p`;
}
