import type { Metric, Run } from '../../tracking/index.js';

/** JSON cannot carry NaN or ±Infinity; like proto3 JSON, the native API spells them as strings. */
export function jsonNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

export function metricJson(metric: Metric) {
  return { ...metric, value: jsonNumber(metric.value) };
}

export function runJson(run: Run) {
  return { ...run, data: { ...run.data, metrics: run.data.metrics.map(metricJson) } };
}
