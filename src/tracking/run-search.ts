import { invalidArgument } from '../errors/index.js';
import type { TrackingDeps } from './deps.js';
import { LIMITS, validateExperimentId, validateMaxResults } from './limits.js';
import { offsetToken, pageOffset } from './paging.js';
import { parseRunFilter, parseRunOrderBy } from './query/index.js';
import { createRunReader } from './run-reader.js';
import { planRunSearch, type RunSearchOptions } from './run-search-plan.js';
import type { RunSearchSpec } from './run-search-sql.js';
import { sortedRunIds } from './sorted-run-search.js';
import { walkOrderKey } from './top-k-search.js';
import type { Page, Run, SearchRunsInput } from './types.js';

export type { RunSearchOptions } from './run-search-plan.js';

/**
 * Searches runs with MLflow's filter grammar and order; only the page's runs are loaded in full.
 * Pages are offsets into the whole ordered result (opaque tokens), whichever plan reads them.
 */
export function createRunSearch(
  { database }: Pick<TrackingDeps, 'database'>,
  options: RunSearchOptions = {},
) {
  const { driverThreshold } = options;
  if (driverThreshold !== undefined && !(driverThreshold >= 0)) {
    throw invalidArgument(`driverThreshold must be a number >= 0, got ${String(driverThreshold)}`);
  }
  const reader = createRunReader(database);
  return {
    async search(input: SearchRunsInput): Promise<Page<Run>> {
      const experimentIds = input.experimentIds.map(validateExperimentId);
      const maxResults = validateMaxResults(input.maxResults, LIMITS.searchRunsDefault, LIMITS.searchRunsMax);
      if (experimentIds.length === 0) return { items: [], nextPageToken: undefined };
      const spec: RunSearchSpec = {
        experimentIds: experimentIds.map(Number),
        viewType: input.viewType,
        filter: parseRunFilter(input.filter),
        orderBy: parseRunOrderBy(input.orderBy),
      };
      const offset = pageOffset(input.pageToken);
      // One more row than the page tells whether another page follows.
      const window = { offset, limit: maxResults + 1 };
      // A read-only snapshot, so that the statements of one page see the same runs.
      const rows = await database.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute(async (trx) => {
          const plan = await planRunSearch(trx, database.profile, spec, offset + window.limit, options);
          return plan.kind === 'walk'
            ? walkOrderKey(trx, database.profile, spec, window)
            : sortedRunIds(trx, database.profile, spec, plan.driver, window);
        });
      return {
        items: await reader.load(rows.slice(0, maxResults)),
        nextPageToken: rows.length > maxResults ? offsetToken(offset + maxResults) : undefined,
      };
    },
  };
}
