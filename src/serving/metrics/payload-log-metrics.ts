import { Counter, Gauge, type GaugeConfiguration, type Registry } from 'prom-client';
import { OspreyError } from '../../errors/index.js';
import type { PayloadChannelStats, PayloadLogger, PayloadLoggerStats } from '../logging/index.js';
import { labelValues, SERVING_LABEL_NAMES } from './serving-metrics.js';

const DEPTH = 'osprey_payload_log_queue_depth';
type Label = string;

/** The first payload-log metric on a registry; it holds the loggers every payload-log metric reads at scrape time. */
class PayloadLogDepthGauge extends Gauge<Label> {
  constructor(
    config: GaugeConfiguration<Label>,
    readonly loggers: Set<PayloadLogger>,
  ) {
    super(config);
  }
}

/**
 * Exposes `logger`'s queue on `registry`, read at scrape time (so logging itself touches no metric):
 * per deployment/node/model/version `osprey_payload_log_queue_depth`, `osprey_payload_log_events_total`
 * (accepted) and `osprey_payload_log_dropped_total`; per sink `osprey_payload_log_queue_capacity`,
 * `osprey_payload_log_written_total`, `osprey_payload_log_lost_total`, `osprey_payload_log_sink_failures_total`
 * and `osprey_payload_log_retries_total`. Several loggers may share a registry.
 */
export function trackPayloadLogger(registry: Registry, logger: PayloadLogger): void {
  const existing = registry.getSingleMetric(DEPTH);
  if (existing instanceof PayloadLogDepthGauge) {
    existing.loggers.add(logger);
    return;
  }
  if (existing !== undefined)
    throw new OspreyError('ALREADY_EXISTS', `metric ${DEPTH} is already registered`);
  const loggers = new Set<PayloadLogger>([logger]);
  const snapshot = () => [...loggers].map((l) => l.stats());
  const perChannel = (pick: (c: PayloadChannelStats) => number) =>
    function collect(this: Gauge<Label> | Counter<Label>) {
      this.reset();
      for (const stats of snapshot())
        for (const channel of stats.channels) put(this, labelValues(channel.labels), pick(channel));
    };
  const perSink = (pick: (s: PayloadLoggerStats) => number) =>
    function collect(this: Gauge<Label> | Counter<Label>) {
      this.reset();
      for (const stats of snapshot()) put(this, { sink: stats.sink }, pick(stats));
    };
  const labelNames = [...SERVING_LABEL_NAMES];
  new PayloadLogDepthGauge(
    {
      name: DEPTH,
      help: 'Payload events waiting in the logger queue.',
      labelNames,
      registers: [registry],
      collect: perChannel((c) => c.queued),
    },
    loggers,
  );
  const channelCounter = (name: string, help: string, pick: (c: PayloadChannelStats) => number) =>
    new Counter({ name, help, labelNames, registers: [registry], collect: perChannel(pick) });
  channelCounter(
    'osprey_payload_log_events_total',
    'Payload events accepted into the logger queue.',
    (c) => c.logged,
  );
  channelCounter(
    'osprey_payload_log_dropped_total',
    'Payload events dropped because the logger queue was full (or the logger closed).',
    (c) => c.dropped,
  );
  const sinkLabels = ['sink'];
  new Gauge({
    name: 'osprey_payload_log_queue_capacity',
    help: 'Payload logger queue slots.',
    labelNames: sinkLabels,
    registers: [registry],
    collect: perSink((s) => s.capacity),
  });
  const sinkCounter = (name: string, help: string, pick: (s: PayloadLoggerStats) => number) =>
    new Counter({ name, help, labelNames: sinkLabels, registers: [registry], collect: perSink(pick) });
  sinkCounter('osprey_payload_log_written_total', 'Payload events the sink accepted.', (s) => s.written);
  sinkCounter(
    'osprey_payload_log_lost_total',
    'Payload events given up on (retries exhausted, close deadline).',
    (s) => s.lost,
  );
  sinkCounter('osprey_payload_log_sink_failures_total', 'Failed payload sink writes.', (s) => s.sinkFailures);
  sinkCounter('osprey_payload_log_retries_total', 'Retried payload sink writes.', (s) => s.retries);
}

function put(metric: Gauge<Label> | Counter<Label>, labels: Record<string, string>, value: number): void {
  if (metric instanceof Gauge) metric.set(labels, value);
  else metric.inc(labels, value);
}
