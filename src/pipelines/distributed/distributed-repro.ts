import { type ReproDeps, type ReproOptions, type ReproResult, repro } from '../repro.js';
import { createQueueStageRunner, type Dispatch } from './queue-runner.js';
import { checkExecutor, type ExecutorOptions } from './stage-job.js';

/** Options of {@link distributedRepro}: repro's, plus where the workers are and the remote they share. */
export interface DistributedReproOptions extends Omit<ReproOptions, 'runStage'> {
  executor: ExecutorOptions;
  /** Name of the project remote the workers share data through (default: the default remote). */
  remote?: string;
  onDispatch?: (dispatch: Dispatch) => void;
}

// Stages in flight at once when `jobs` is not given: the workers, not the coordinator, set the pace.
const IN_FLIGHT = 256;

/**
 * repro with every stage that must run sent to `osprey worker` processes through a BullMQ queue.
 * Osprey decides what runs and when (change detection, run cache, DAG order, failures blocking
 * their dependants); the workers only run stages. The lock and the workspace end as after a local
 * repro.
 */
export async function distributedRepro(
  deps: ReproDeps,
  options: DistributedReproOptions,
): Promise<ReproResult> {
  const { executor, remote, onDispatch, ...reproOptions } = options;
  const checked = checkExecutor(executor);
  const runner = await createQueueStageRunner({
    ...checked,
    data: deps.data,
    remote: await deps.data.openRemote(remote),
    ...(onDispatch !== undefined ? { onDispatch } : {}),
  });
  try {
    return await repro(deps, {
      jobs: IN_FLIGHT,
      ...reproOptions,
      runStage: runner.run,
    });
  } finally {
    await runner.close();
  }
}
