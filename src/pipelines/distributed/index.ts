// Distributed pipelines: stages dispatched to `osprey worker` processes through BullMQ queues on
// Redis, data shared through an Osprey remote, the DAG scheduled by Osprey (repro).

export { type DistributedReproOptions, distributedRepro } from './distributed-repro.js';
export {
  createQueueStageRunner,
  type Dispatch,
  type QueueRunnerOptions,
  type QueueStageRunner,
} from './queue-runner.js';
export { type RemoteStageDeps, type RemoteStageRequest, runRemoteStage } from './run-remote-stage.js';
export {
  checkExecutor,
  DEFAULT_QUEUE,
  type ExecutorOptions,
  type StageJob,
  type StageJobResult,
} from './stage-job.js';
export {
  type StageWorker,
  type StageWorkerOptions,
  startStageWorker,
  type WorkerEvent,
} from './stage-worker.js';
