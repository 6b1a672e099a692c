import type { Registry } from 'prom-client';
import { notFound, OspreyError } from '../../errors/index.js';
import { ospreyVersion } from '../../models/index.js';
import type { DeploymentSpec } from '../deployment/index.js';
import { type DeploymentDeps, loadDeployment, type NodeFactory } from '../graph/index.js';
import { type PayloadLogger, withPayloadLogging } from '../logging/index.js';
import { withMetrics } from '../metrics/index.js';
import type { Feedback, InferenceRequest, InferenceServer, ModelEndpoint } from '../types.js';
import {
  type DeploymentExplainer,
  type ExplainResponse,
  explainRequest,
  loadExplainer,
  logExplanation,
} from './explainer.js';
import { createGeneration, type Generation } from './generation.js';
import { type ModelPin, pinModels, type ResolveVersion } from './model-pins.js';

/** Calls `fn` every `ms` milliseconds until the returned function is called (the host's clock). */
export type Every = (ms: number, fn: () => void) => () => void;

/** What a host is built from. */
export interface DeploymentHostDeps {
  /** Loads the code of each node (`createNodeFactory` for real models). */
  factory: NodeFactory;
  /** The registry's resolve: which version a moving `models:/` URI names now. */
  resolveVersion: ResolveVersion;
  /** Passed to every deployment (bandit store, random source, shadow hooks). */
  graph?: Omit<DeploymentDeps, 'factory'>;
  /** Serving metrics go here when given (never prom-client's global registry). */
  metrics?: Registry;
  /** The payload logger, asked for when a spec first enables payload logging. */
  payloadLogger?: () => PayloadLogger;
  /** How often aliases are checked for moves (default 5000 ms; 0 turns watching off). */
  watchIntervalMs?: number;
  every?: Every;
  now?: () => number;
  /** How long a swapped-out deployment waits for its requests before it is unloaded anyway (default 30 s). */
  drainTimeoutMs?: number;
  /** Told of failures no caller sees (a reload after an alias move, an unload). */
  onError?: (error: unknown, context: string) => void;
}

/** What `list()` and `apply()` report about one deployment. */
export interface DeploymentStatus {
  name: string;
  /** `loading` until the first load completes; `ready` once serving. */
  state: 'loading' | 'ready';
  ready: boolean;
  version?: string;
  /** The versions moving model URIs (aliases) were pinned to in the graph now serving. */
  models: ModelPin[];
  inFlight: number;
  /** How many times the deployment has been (re)loaded: applies and alias moves. */
  generation: number;
  loadedAt?: string;
  /** The last failed reload after an alias move (the previous graph kept serving). */
  lastError?: string;
  spec: DeploymentSpec;
}

/**
 * A set of running deployments behind one InferenceServer: protocols look endpoints up by name on
 * every request, so swapping what a name serves is one assignment.
 */
export interface DeploymentHost extends InferenceServer {
  /** Loads `spec`'s graph, then atomically replaces the deployment of that name (old one unloaded after draining). */
  apply(spec: DeploymentSpec): Promise<DeploymentStatus>;
  /** Stops serving a deployment; its in-flight requests finish first. NOT_FOUND if there is none. */
  remove(name: string): Promise<void>;
  status(name: string): DeploymentStatus;
  list(): DeploymentStatus[];
  /** Re-resolves every moving model URI now and reloads the deployments whose versions moved. */
  checkAliases(): Promise<void>;
  /** KernelSHAP on the request's rows against the live deployment; NOT_FOUND when it has no explainer. */
  explain(name: string, request: InferenceRequest): Promise<ExplainResponse>;
  /** Stops watching, drains and unloads everything. */
  close(): Promise<void>;
}

interface Entry {
  spec: DeploymentSpec;
  current?: Generation;
  endpoint: ModelEndpoint;
  generation: number;
  lastError?: string;
  explainer?: DeploymentExplainer;
}

const defaultEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Creates an empty host; `apply` specs to serve them. */
export function createDeploymentHost(deps: DeploymentHostDeps): DeploymentHost {
  const now = deps.now ?? Date.now;
  const onError = deps.onError ?? (() => undefined);
  const drainTimeoutMs = deps.drainTimeoutMs ?? 30_000;
  const watchIntervalMs = deps.watchIntervalMs ?? 5000;
  const entries = new Map<string, Entry>();
  const queues = new Map<string, Promise<unknown>>();
  const retiring = new Set<Promise<void>>();
  let stopWatching: (() => void) | undefined;
  let checking: Promise<void> | undefined;
  let closed = false;

  // Operations on one name run one after another, so two applies cannot race to swap.
  function serialize<T>(name: string, work: () => Promise<T>): Promise<T> {
    const run = (queues.get(name) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(name, tail);
    void tail.then(() => queues.get(name) === tail && queues.delete(name));
    return run;
  }

  async function load(spec: DeploymentSpec): Promise<Generation> {
    const { spec: pinned, pins } = await pinModels(spec, deps.resolveVersion);
    const deployment = await loadDeployment(pinned, { ...deps.graph, factory: deps.factory });
    let endpoint: ModelEndpoint = deployment;
    if (spec.payloadLogging.enabled) {
      if (!deps.payloadLogger) {
        await deployment.unload();
        throw new OspreyError(
          'INVALID_ARGUMENT',
          `deployment '${spec.name}' logs payloads, but this host has no payload logger`,
        );
      }
      endpoint = withPayloadLogging(deployment, deps.payloadLogger(), {
        deployment: spec.name,
        sampleRate: spec.payloadLogging.sampleRate,
      });
    }
    return createGeneration(deployment, endpoint, pins, now());
  }

  function retire(generation: Generation | undefined): void {
    if (!generation) return;
    const job = generation
      .drained(drainTimeoutMs)
      .then(() => generation.deployment.unload())
      .catch((error: unknown) => onError(error, `unloading deployment '${generation.deployment.name}'`))
      .finally(() => retiring.delete(job));
    retiring.add(job);
  }

  function swap(entry: Entry, spec: DeploymentSpec, generation: Generation): void {
    const old = entry.current;
    entry.spec = spec;
    entry.current = generation;
    entry.generation += 1;
    delete entry.lastError;
    retire(old);
    if (!stopWatching && watchIntervalMs > 0 && generation.pins.length > 0) {
      stopWatching = (deps.every ?? defaultEvery)(watchIntervalMs, () => void host.checkAliases());
    }
  }

  function endpointOf(entry: Entry): ModelEndpoint {
    const current = () => {
      if (!entry.current)
        throw new OspreyError('UNAVAILABLE', `deployment '${entry.spec.name}' is not ready: it is loading`);
      return entry.current;
    };
    const core: ModelEndpoint = {
      name: entry.spec.name,
      platform: 'osprey-graph',
      get signature() {
        return entry.current?.endpoint.signature ?? { inputs: [], outputs: [] };
      },
      ready: () => entry.current?.endpoint.ready() ?? false,
      // The generation is picked when the request arrives and holds it until done: a swap never
      // unloads a graph under a request.
      async infer(request, options) {
        const generation = current();
        return generation.track(() => generation.endpoint.infer(request, options));
      },
    };
    const metered = deps.metrics ? withMetrics(core, deps.metrics, { deployment: entry.spec.name }) : core;
    return {
      name: core.name,
      platform: core.platform,
      get version() {
        return entry.current?.deployment.version;
      },
      get signature() {
        return core.signature;
      },
      ready: core.ready,
      infer: metered.infer,
      async feedback(feedback: Feedback) {
        const generation = current();
        await generation.track(() => generation.deployment.feedback(feedback));
      },
    };
  }

  function statusOf(entry: Entry): DeploymentStatus {
    const g = entry.current;
    const version = g?.deployment.version ?? entry.spec.version;
    return {
      name: entry.spec.name,
      state: g ? 'ready' : 'loading',
      ready: entry.endpoint.ready(),
      ...(version !== undefined ? { version } : {}),
      models: g ? [...g.pins] : [],
      inFlight: g?.inFlight() ?? 0,
      generation: entry.generation,
      ...(g ? { loadedAt: new Date(g.loadedAt).toISOString() } : {}),
      ...(entry.lastError !== undefined ? { lastError: entry.lastError } : {}),
      spec: entry.spec,
    };
  }

  function entryOf(name: string): Entry {
    const entry = entries.get(name);
    if (!entry) throw notFound(`deployment '${name}' not found`);
    return entry;
  }

  async function reload(entry: Entry): Promise<void> {
    await serialize(entry.spec.name, async () => {
      if (closed || entries.get(entry.spec.name) !== entry) return;
      try {
        swap(entry, entry.spec, await load(entry.spec));
      } catch (error) {
        entry.lastError = message(error);
        onError(error, `reloading deployment '${entry.spec.name}' after an alias moved`);
      }
    });
  }

  async function moved(entry: Entry, resolved: Map<string, Promise<string>>): Promise<boolean> {
    const pins = entry.current?.pins ?? [];
    for (const pin of pins) {
      if (!resolved.has(pin.uri))
        resolved.set(
          pin.uri,
          deps.resolveVersion(pin.uri).then((r) => String(r.version)),
        );
    }
    try {
      const now = await Promise.all(pins.map((p) => resolved.get(p.uri)!));
      return now.some((version, i) => version !== pins[i]!.version);
    } catch (error) {
      entry.lastError = message(error);
      onError(error, `resolving the models of deployment '${entry.spec.name}'`);
      return false;
    }
  }

  const host: DeploymentHost = {
    metadata: () => ({ name: 'osprey', version: ospreyVersion(), extensions: [] }),
    live: () => !closed,
    ready: () => !closed && [...entries.values()].every((e) => e.endpoint.ready()),
    endpoint(name, version) {
      const entry = entryOf(name);
      if (version !== undefined && version !== '' && version !== entry.endpoint.version) {
        throw notFound(`deployment '${name}' has no version '${version}'`);
      }
      return entry.endpoint;
    },
    endpoints: () => [...entries.values()].map((e) => e.endpoint),

    apply(spec) {
      if (closed) return Promise.reject(new OspreyError('UNAVAILABLE', 'the deployment host is closed'));
      return serialize(spec.name, async () => {
        let entry = entries.get(spec.name);
        const isNew = entry === undefined;
        if (!entry) {
          // Registered before loading, so readiness reports 503 (not 404) while the first load runs.
          const created: Entry = { spec, generation: 0 } as Entry;
          created.endpoint = endpointOf(created);
          entries.set(spec.name, created);
          entry = created;
        }
        try {
          const explainer = spec.explainer ? await loadExplainer(spec.explainer) : undefined;
          swap(entry, spec, await load(spec));
          entry.explainer = explainer;
        } catch (error) {
          if (isNew) entries.delete(spec.name);
          throw error;
        }
        return statusOf(entry);
      });
    },
    remove(name) {
      return serialize(name, async () => {
        const entry = entryOf(name);
        entries.delete(name);
        retire(entry.current);
      });
    },
    status: (name) => statusOf(entryOf(name)),
    async explain(name, request) {
      const entry = entryOf(name);
      if (!entry.explainer) throw notFound(`deployment '${name}' has no explainer`);
      const response = await explainRequest(entry.endpoint, entry.explainer, request);
      if (entry.spec.payloadLogging.enabled && deps.payloadLogger)
        logExplanation(deps.payloadLogger(), name, response);
      return response;
    },
    list: () => [...entries.values()].map(statusOf).sort((a, b) => a.name.localeCompare(b.name)),

    checkAliases() {
      checking ??= (async () => {
        const resolved = new Map<string, Promise<string>>();
        const due = [...entries.values()].filter((e) => (e.current?.pins.length ?? 0) > 0);
        const flags = await Promise.all(due.map((e) => moved(e, resolved)));
        await Promise.all(due.filter((_, i) => flags[i]).map(reload));
      })().finally(() => {
        checking = undefined;
      });
      return checking;
    },

    async close() {
      if (closed) return;
      closed = true;
      stopWatching?.();
      await Promise.allSettled([...queues.values(), checking]);
      for (const entry of entries.values()) retire(entry.current);
      entries.clear();
      await Promise.allSettled([...retiring]);
    },
  };
  return host;
}
