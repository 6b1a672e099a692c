import type { NamedTensors } from '../../models/index.js';
import type { Rng } from '../../random/index.js';
import { startDeadline } from './deadline.js';
import type { NodeCallContext } from './graph-types.js';
import type { GraphNode } from './load-graph.js';
import { runNode } from './run-graph.js';

/** What became of one mirrored request. */
export interface ShadowOutcome {
  variant: string;
  requestId: string;
  outputs?: NamedTensors;
  error?: unknown;
  durationMs: number;
}

/** Mirrors sent, dropped because too many were in flight, and failed. */
export interface ShadowStats {
  sent: number;
  dropped: number;
  failed: number;
  inFlight: number;
}

export interface ShadowOptions {
  rng: Rng;
  timeoutMs: number | undefined;
  maxInFlight: number;
  onShadow: ((outcome: ShadowOutcome) => void) | undefined;
  onBackgroundError: (error: unknown) => void;
}

/**
 * Traffic mirroring (Seldon `shadow: true`, Seldon v2 `mirror.percent`): a copy of the request runs
 * on the shadow variant on the side, with its own deadline; its answer is dropped and its failure is
 * only counted and reported to `onShadow`, so neither can reach the client or delay the answer.
 */
export function createShadows(options: ShadowOptions) {
  const counts = { sent: 0, dropped: 0, failed: 0, inFlight: 0 };

  function run(variant: string, node: GraphNode, inputs: NamedTensors, request: NodeCallContext) {
    const started = performance.now();
    const deadline = startDeadline(`shadow '${variant}': request '${request.requestId}'`, options.timeoutMs);
    const state = { ...request, signal: deadline.signal, routing: {} };
    const report = (outcome: Omit<ShadowOutcome, 'variant' | 'requestId' | 'durationMs'>) => {
      deadline.dispose();
      counts.inFlight--;
      if ('error' in outcome) counts.failed++;
      try {
        options.onShadow?.({
          variant,
          requestId: request.requestId,
          durationMs: performance.now() - started,
          ...outcome,
        });
      } catch (error) {
        options.onBackgroundError(error);
      }
    };
    // A copy taken now, before the served request's nodes run, so neither side can touch the other's tensors.
    const copy = structuredClone(inputs);
    Promise.resolve()
      .then(() => runNode(node, copy, state))
      .then(
        (outputs) => report({ outputs }),
        (error: unknown) => report({ error }),
      );
  }

  return {
    /** Sends each shadow its share of copies of this request. */
    mirror(
      shadows: readonly { variant: string; percent: number; node: GraphNode }[],
      inputs: NamedTensors,
      request: NodeCallContext,
    ) {
      for (const s of shadows) {
        if (options.rng.next() * 100 >= s.percent) continue;
        if (counts.inFlight >= options.maxInFlight) {
          counts.dropped++;
          continue;
        }
        counts.sent++;
        counts.inFlight++;
        run(s.variant, s.node, inputs, request);
      }
    },
    stats: (): ShadowStats => ({ ...counts }),
  };
}
