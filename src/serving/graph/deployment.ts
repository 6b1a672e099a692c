import { randomInt } from 'node:crypto';
import { invalidArgument, OspreyError } from '../../errors/index.js';
import { checkInputs, type NamedTensors, type Signature } from '../../models/index.js';
import { createRng, type Rng } from '../../random/index.js';
import type { DeploymentSpec } from '../deployment/index.js';
import type { Feedback, InferenceRequest, InferenceResponse, InferOptions, ModelEndpoint } from '../types.js';
import { type ArmStats, type BanditStateStore, createMemoryBanditStore } from './bandit-store.js';
import type { BatchStats } from './batcher.js';
import { raceAbort, startDeadline } from './deadline.js';
import { propagateFeedback } from './feedback.js';
import { graphSignature } from './graph-signature.js';
import type { NodeFactory } from './graph-types.js';
import { type LoadedGraph, loadGraph } from './load-graph.js';
import { createRoutingMemory } from './routing-memory.js';
import { runNode } from './run-graph.js';
import { createShadows, type ShadowOutcome, type ShadowStats } from './shadows.js';

/** What a deployment is built from besides its spec. */
export interface DeploymentDeps {
  factory: NodeFactory;
  /** Where bandits keep their evidence (default: process memory, forgotten on restart). */
  banditStore?: BanditStateStore;
  /** The generator of routing, splitting and mirroring draws (default: seeded from the OS). */
  rng?: Rng;
  /** How stale bandit evidence may get before it is reloaded from the store (default 1000 ms). */
  banditRefreshMs?: number;
  now?: () => number;
  /** Told of every mirrored request's outcome (its answer is dropped, its error never reaches the client). */
  onShadow?: (outcome: ShadowOutcome) => void;
  /** Told of failures that no request sees (a bandit reload, a shadow hook that throws). */
  onBackgroundError?: (error: unknown) => void;
  /** Mirrored requests in flight at most; further mirrors are dropped (default 64). */
  maxShadowsInFlight?: number;
  /** Routings remembered by request id, so feedback without routing still reaches bandits (default 10 000). */
  routingMemory?: number;
}

/** A served deployment: the endpoint protocols call, plus its lifecycle and what its routers learnt. */
export interface Deployment extends ModelEndpoint {
  readonly spec: DeploymentSpec;
  /** Loads every node; ready() turns true when all are loaded. */
  load(): Promise<void>;
  unload(): Promise<void>;
  feedback(feedback: Feedback): Promise<void>;
  /** Reloads every bandit's evidence from the store now. */
  refresh(): Promise<void>;
  /** A bandit router's evidence per arm (`traffic` for the traffic policy). */
  banditStats(node: string): ArmStats[];
  /** A batching node's counters. */
  batchStats(node: string): BatchStats;
  shadowStats(): ShadowStats;
}

/**
 * Builds the endpoint of a deployment spec (not loaded yet: call load(), or use {@link loadDeployment}).
 * Requests run the graph with Seldon v1 and KServe semantics, under the spec's deadline; the route
 * taken is in `response.routing`; mirrors run on the side.
 */
export function createDeployment(spec: DeploymentSpec, deps: DeploymentDeps): Deployment {
  // A seeded generator in tests makes every split and bandit draw reproducible.
  const rng = deps.rng ?? createRng(randomInt(2 ** 31));
  const store = deps.banditStore ?? createMemoryBanditStore();
  const onBackgroundError = deps.onBackgroundError ?? (() => undefined);
  const routings = createRoutingMemory(deps.routingMemory ?? 10_000);
  let graph: LoadedGraph | undefined;
  let loading: Promise<void> | undefined;
  let signature: Signature = { inputs: [], outputs: [] };
  const shadows = createShadows({
    rng,
    timeoutMs: spec.timeoutMs,
    maxInFlight: deps.maxShadowsInFlight ?? 64,
    onShadow: deps.onShadow,
    onBackgroundError,
  });

  const loaded = (): LoadedGraph => {
    if (!graph)
      throw new OspreyError(
        'UNAVAILABLE',
        `deployment '${spec.name}' is not ready: its nodes are not loaded`,
      );
    return graph;
  };
  const nodeOf = (name: string) => {
    const node = loaded().nodes.find((n) => n.name === name);
    if (!node) throw invalidArgument(`deployment '${spec.name}' has no node '${name}'`);
    return node;
  };

  return {
    name: spec.name,
    ...(spec.version !== undefined ? { version: spec.version } : {}),
    platform: 'osprey-graph',
    spec,
    get signature() {
      return signature;
    },
    ready: () => graph?.nodes.every((n) => n.component?.ready?.() ?? true) ?? false,
    load() {
      loading ??= loadGraph(spec, deps.factory, {
        deployment: spec.name,
        rng,
        store,
        refreshMs: deps.banditRefreshMs ?? 1000,
        now: deps.now ?? Date.now,
        onError: onBackgroundError,
      }).then(
        (g) => {
          graph = g;
          signature = graphSignature(g.root);
        },
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    async unload() {
      const g = graph;
      graph = undefined;
      loading = undefined;
      await Promise.allSettled((g?.nodes ?? []).map((n) => n.component?.unload?.()));
    },

    async infer(request: InferenceRequest, options: InferOptions = {}): Promise<InferenceResponse> {
      const g = loaded();
      if (request === null || typeof request !== 'object') throw invalidArgument('request must be an object');
      const id = typeof request.id === 'string' ? request.id : '';
      const inputs = checkInputs(request.inputs, undefined);
      const deadline = startDeadline(
        `deployment '${spec.name}': request '${id}'`,
        spec.timeoutMs,
        options.signal,
      );
      try {
        const state = {
          requestId: id,
          parameters: request.parameters,
          headers: request.headers,
          signal: deadline.signal,
          routing: {},
        };
        shadows.mirror(g.shadows, inputs, state);
        const outputs = selectOutputs(
          await raceAbort(runNode(g.root, inputs, state), deadline.signal),
          request.outputs,
        );
        routings.remember(id, state.routing);
        return {
          id,
          modelName: spec.name,
          ...(spec.version !== undefined ? { modelVersion: spec.version } : {}),
          outputs,
          routing: state.routing,
        };
      } finally {
        deadline.dispose();
      }
    },

    async feedback(feedback: Feedback): Promise<void> {
      const g = loaded();
      if (feedback === null || typeof feedback !== 'object' || typeof feedback.requestId !== 'string') {
        throw invalidArgument('feedback needs a requestId');
      }
      const { reward } = feedback;
      if (reward !== undefined && !(typeof reward === 'number' && reward >= 0 && reward <= 1)) {
        throw invalidArgument(`reward must be a number in [0, 1], got ${JSON.stringify(reward)}`);
      }
      const truth = feedback.truth === undefined ? undefined : checkInputs(feedback.truth, undefined);
      const rows = truth ? Object.values(truth)[0]?.shape[0] : undefined;
      const routing = feedback.routing ?? routings.recall(feedback.requestId) ?? {};
      await propagateFeedback(
        g.root,
        { requestId: feedback.requestId, reward, truth, trials: rows && rows > 0 ? rows : 1 },
        routing,
        new AbortController().signal,
      );
    },

    async refresh() {
      await Promise.all(loaded().nodes.map((n) => n.chooser?.refresh?.()));
    },
    banditStats(name) {
      const stats = nodeOf(name).chooser?.stats?.();
      if (!stats) throw invalidArgument(`node '${name}' of deployment '${spec.name}' is not a bandit`);
      return stats;
    },
    batchStats(name) {
      const batcher = nodeOf(name).batcher;
      if (!batcher) throw invalidArgument(`node '${name}' of deployment '${spec.name}' does not batch`);
      return batcher.stats();
    },
    shadowStats: () => shadows.stats(),
  };
}

/** createDeployment followed by load(). */
export async function loadDeployment(spec: DeploymentSpec, deps: DeploymentDeps): Promise<Deployment> {
  const deployment = createDeployment(spec, deps);
  await deployment.load();
  return deployment;
}

function selectOutputs(outputs: NamedTensors, wanted: string[] | undefined): NamedTensors {
  if (!wanted || wanted.length === 0) return outputs;
  const missing = wanted.find((name) => !(name in outputs));
  if (missing !== undefined) {
    throw invalidArgument(`unknown output '${missing}' (outputs: ${Object.keys(outputs).join(', ')})`);
  }
  return Object.fromEntries(wanted.map((name) => [name, outputs[name]!]));
}
