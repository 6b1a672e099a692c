import { createArtifactService } from './artifact-service.js';
import type { TrackingDeps } from './deps.js';
import { createExperimentService } from './experiment-service.js';
import { createMetricHistory } from './metric-history.js';
import { createRunLogger } from './run-logger.js';
import { createRunSearch } from './run-search.js';
import { createRunService } from './run-service.js';

/** Experiment tracking: one object holding each concern's service, all on the same store. */
export function createTracking(deps: TrackingDeps) {
  const experiments = createExperimentService(deps);
  return {
    experiments,
    runs: createRunService(deps, experiments),
    logger: createRunLogger(deps),
    search: createRunSearch(deps),
    metrics: createMetricHistory(deps),
    artifacts: createArtifactService(deps),
  };
}

export type Tracking = ReturnType<typeof createTracking>;
