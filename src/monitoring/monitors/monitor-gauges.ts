/**
 * Prometheus gauges of the latest window of every monitor, in a registry the caller owns (the
 * server's `/metrics` registry, or a test's): drift score, p-value, outlier rate, and every other
 * monitor metric (rows, performance) under one labelled gauge.
 */
import { Gauge, type Registry } from 'prom-client';

export interface MonitorGauges {
  set(
    monitor: string,
    detector: 'drift' | 'outliers' | 'other',
    name: string,
    value: number | null,
    pValue: number | null,
  ): void;
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[]): Gauge {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

/** Gauges registered once per registry (a second monitor on the same registry reuses them). */
export function createMonitorGauges(registry: Registry): MonitorGauges {
  const score = gauge(registry, 'osprey_monitor_drift_score', 'Drift score of the latest window', [
    'monitor',
    'detector',
  ]);
  const pValue = gauge(registry, 'osprey_monitor_p_value', 'p-value of the latest window', [
    'monitor',
    'detector',
  ]);
  const outlierRate = gauge(
    registry,
    'osprey_monitor_outlier_rate',
    'Share of outlier rows in the latest window',
    ['monitor', 'detector'],
  );
  const metric = gauge(registry, 'osprey_monitor_metric', 'Other monitor metrics of the latest window', [
    'monitor',
    'metric',
  ]);
  return {
    set(monitor, kind, name, value, p) {
      if (kind === 'other') {
        if (value !== null) metric.set({ monitor, metric: name }, value);
        return;
      }
      const target = kind === 'drift' ? score : outlierRate;
      if (value !== null) target.set({ monitor, detector: name }, value);
      if (kind === 'drift' && p !== null) pValue.set({ monitor, detector: name }, p);
    },
  };
}
