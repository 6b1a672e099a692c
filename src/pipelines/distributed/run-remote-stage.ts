import { basename, join } from 'node:path';
import type { DataRepo } from '../../data/index.js';
import { invalidArgument, notFound } from '../../errors/index.js';
import type { BlobStore } from '../../store/blob/index.js';
import { runStage, type StageOutcome } from '../execute-stage.js';
import { loadPipeline } from '../load.js';
import type { LockedPath } from '../lock.js';
import { createParamsReader } from '../params.js';
import { openRunCache } from '../run-cache.js';
import { snapshotPaths } from '../stage-status.js';

/** Where a stage runs away from the coordinator: a copy of the project, its data repo, the shared remote. */
export interface RemoteStageDeps {
  root: string;
  data: DataRepo;
  remote: BlobStore;
  signal?: AbortSignal;
  onLine?: (stage: string, line: string, stream: 'stdout' | 'stderr') => void;
}

/** The stage to run and the inputs (deps with digests, on the remote) to run it on. */
export interface RemoteStageRequest {
  stage: string;
  /** When given, the local osprey.yaml must define the stage with these commands. */
  cmd?: readonly string[];
  inputs: readonly LockedPath[];
}

const sameCmd = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((c, i) => c === b[i]);

/** Checks the inputs out of the remote (fetching only objects the local cache lacks). */
async function checkoutInputs(deps: RemoteStageDeps, inputs: readonly LockedPath[]): Promise<void> {
  if (inputs.length === 0) return;
  await deps.data.fetchSnapshots(inputs, deps.remote, { signal: deps.signal });
  for (const input of inputs)
    await deps.data.restore(input.path, { ...input, path: basename(input.path) }, { force: true });
}

/**
 * Runs one stage of the project at `deps.root` the way a worker (or an Argo task) does: checks its
 * inputs out of the remote, runs its commands, commits every out to the cache and pushes them to
 * the remote. Nothing is written to the lock: the coordinator records the outs it is given back.
 */
export async function runRemoteStage(
  deps: RemoteStageDeps,
  request: RemoteStageRequest,
): Promise<StageOutcome> {
  const { root, data } = deps;
  const pipeline = await loadPipeline(root);
  const stage = pipeline.stages.find((s) => s.name === request.stage);
  if (stage === undefined) throw notFound(`no stage '${request.stage}' in ${pipeline.file}`);
  if (request.cmd !== undefined && !sameCmd(request.cmd, stage.cmd))
    throw invalidArgument(
      `stage '${stage.name}' has other commands here than where it was sent from: update this copy of the project`,
    );
  await checkoutInputs(deps, request.inputs);
  const { found, missing } = await snapshotPaths(data, stage.deps);
  if (missing.length > 0)
    throw notFound(`stage '${stage.name}' is missing dependencies: ${missing.join(', ')}`);
  const params = await createParamsReader(root)(stage);
  const stateDir = join(data.layout.stateDir, 'state');
  const outcome = await runStage(
    {
      root,
      data,
      runCache: openRunCache(join(stateDir, 'run-cache')),
      logDir: join(stateDir, 'logs'),
      signal: deps.signal,
      // A worker's copy of the project is not where outs get committed to git.
      ignore: async () => undefined,
      onLine: deps.onLine,
    },
    stage,
    found,
    params,
  );
  if (outcome.kind !== 'ran') return outcome;
  // Outs kept out of the cache locally still travel to the coordinator through the remote.
  await snapshotPaths(
    data,
    stage.outs.filter((o) => !o.cache).map((o) => o.path),
    true,
  );
  await data.pushSnapshots(outcome.entry.outs, deps.remote, { signal: deps.signal });
  return outcome;
}
