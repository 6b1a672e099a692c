export { trackPayloadLogger } from './payload-log-metrics.js';
export {
  labelValues,
  NOOP_SERVING_OBSERVER,
  SERVING_LABEL_NAMES,
  type ServingLabels,
  type ServingMetrics,
  type ServingObserver,
  servingMetrics,
  servingObserver,
} from './serving-metrics.js';
export { type EndpointMetricLabels, withMetrics } from './with-metrics.js';
