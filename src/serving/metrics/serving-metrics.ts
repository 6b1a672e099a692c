import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { OspreyError } from '../../errors/index.js';

/** The labels every serving metric carries. */
export interface ServingLabels {
  deployment: string;
  node: string;
  model: string;
  /** The model version ('' when unversioned). */
  version?: string;
}

export const SERVING_LABEL_NAMES = ['deployment', 'node', 'model', 'version'] as const;
type LabelName = (typeof SERVING_LABEL_NAMES)[number];
type OutcomeLabel = LabelName | 'outcome' | 'code';

/**
 * What batching and queueing code reports, per endpoint. Pass one to a batcher: it calls
 * `observeBatch` once per executed batch (so `_count` is Triton's exec count and `_sum` its inference
 * count), `observeQueueTime` per request for the time it waited before its batch ran, and
 * `observeComputeTime` per executed batch for the time the model took.
 */
export interface ServingObserver {
  observeBatch(size: number): void;
  observeQueueTime(ms: number): void;
  observeComputeTime(ms: number): void;
}

/** An observer that records nothing, for code that may run without metrics. */
export const NOOP_SERVING_OBSERVER: ServingObserver = Object.freeze({
  observeBatch: () => {},
  observeQueueTime: () => {},
  observeComputeTime: () => {},
});

/** The serving metric families on one registry. */
export interface ServingMetrics {
  readonly requests: Counter<OutcomeLabel>;
  readonly duration: Histogram<LabelName>;
  readonly inFlight: Gauge<LabelName>;
  readonly queueTime: Histogram<LabelName>;
  readonly computeTime: Histogram<LabelName>;
  readonly batchSize: Histogram<LabelName>;
}

// Seconds; finer at the low end than Seldon's .005..10 because in-process models answer in microseconds.
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
// Powers of two, as BentoML's adaptive batch size histogram.
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * The serving metrics on `registry`, created on first use and found again afterwards (one registry can
 * hold many endpoints). Names follow Prometheus conventions with Triton's split of queue and compute time:
 * `osprey_inference_requests_total{outcome,code}`, `osprey_inference_request_duration_seconds`,
 * `osprey_inference_requests_in_flight`, `osprey_inference_queue_duration_seconds`,
 * `osprey_inference_compute_duration_seconds`, `osprey_inference_batch_size`.
 */
export function servingMetrics(registry: Registry): ServingMetrics {
  const labelNames = SERVING_LABEL_NAMES;
  return {
    requests: metric(registry, Counter, {
      name: 'osprey_inference_requests_total',
      help: 'Inference requests by outcome (success or failure) and code (OK or the Osprey error code).',
      labelNames: [...labelNames, 'outcome', 'code'] as const,
    }),
    duration: metric(registry, Histogram, {
      name: 'osprey_inference_request_duration_seconds',
      help: 'Inference latency seen by the caller (queueing plus compute).',
      labelNames,
      buckets: LATENCY_BUCKETS,
    }),
    inFlight: metric(registry, Gauge, {
      name: 'osprey_inference_requests_in_flight',
      help: 'Inference requests started and not yet answered.',
      labelNames,
    }),
    queueTime: metric(registry, Histogram, {
      name: 'osprey_inference_queue_duration_seconds',
      help: 'Time a request waited (e.g. for its batch) before the model ran it.',
      labelNames,
      buckets: LATENCY_BUCKETS,
    }),
    computeTime: metric(registry, Histogram, {
      name: 'osprey_inference_compute_duration_seconds',
      help: 'Time the model took per executed batch.',
      labelNames,
      buckets: LATENCY_BUCKETS,
    }),
    batchSize: metric(registry, Histogram, {
      name: 'osprey_inference_batch_size',
      help: 'Requests per executed batch (_count = batches run, _sum = requests run).',
      labelNames,
      buckets: BATCH_BUCKETS,
    }),
  };
}

/** The label values for `labels`, in the form prom-client takes. */
export function labelValues(labels: ServingLabels): Record<LabelName, string> {
  return {
    deployment: labels.deployment,
    node: labels.node,
    model: labels.model,
    version: labels.version ?? '',
  };
}

/** A `ServingObserver` for one endpoint, its histogram children bound once so each call is a plain observe. */
export function servingObserver(registry: Registry, labels: ServingLabels): ServingObserver {
  const m = servingMetrics(registry);
  const values = labelValues(labels);
  const batch = m.batchSize.labels(values);
  const queue = m.queueTime.labels(values);
  const compute = m.computeTime.labels(values);
  return {
    observeBatch: (size) => batch.observe(size),
    observeQueueTime: (ms) => queue.observe(ms / 1000),
    observeComputeTime: (ms) => compute.observe(ms / 1000),
  };
}

type MetricClass<M, C> = new (config: C) => M;

/** The metric `config.name` from `registry`, creating it there when absent. */
export function metric<
  M extends Counter<string> | Gauge<string> | Histogram<string>,
  C extends { name: string },
>(registry: Registry, Kind: MetricClass<M, C>, config: C): M {
  const existing = registry.getSingleMetric(config.name);
  if (existing === undefined) return new Kind({ ...config, registers: [registry] });
  if (!(existing instanceof Kind))
    throw new OspreyError('ALREADY_EXISTS', `metric ${config.name} is already registered with another type`);
  return existing;
}
