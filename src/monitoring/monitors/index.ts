/**
 * Monitors on deployments: a YAML spec (reference, features, detectors, windows, schedule, alert
 * rules, webhooks) evaluated over the serving payload log, with results stored as time series,
 * Prometheus gauges, alert events, and performance on delayed labels.
 */
export { type Comparison, type RuleStreak, ruleName } from './alert-rules.js';
export type { DetectorOutcome, FittedDetector } from './monitor-detectors.js';
export { createMonitorGauges, type MonitorGauges } from './monitor-gauges.js';
export {
  createMonitoring,
  type EvaluationReport,
  type Monitoring,
  type MonitoringDeps,
} from './monitor-service.js';
export {
  type AlertRuleSpec,
  type DetectorSpec,
  knownMetrics,
  type MonitorSpec,
  type MonitorSpecInput,
  parseDuration,
  parseMonitorSpec,
  resolveWindow,
  validateMonitorSpec,
} from './monitor-spec.js';
export type {
  FeedbackRecord,
  MonitorAlert,
  MonitorRecord,
  MonitorResult,
  ResultQuery,
} from './monitor-store.js';
export {
  createWebhookNotifier,
  type WebhookNotifier,
  type WebhookNotifierOptions,
} from './webhook-notifier.js';
