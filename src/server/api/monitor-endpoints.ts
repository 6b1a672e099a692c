import { z } from 'zod';
import { invalidArgument } from '../../errors/index.js';
import { validateMonitorSpec } from '../../monitoring/index.js';
import { endpoint } from './endpoint.js';

const MONITORS = ['monitors'];
const nameParams = z.object({ name: z.string().min(1) });
// The spec's own schema (monitoring/monitors) checks every field and names the bad ones.
const specBody = z.record(z.string(), z.unknown());
const count = z.coerce.number().int().min(1).max(10_000).optional();
const millis = z.coerce.number().int().min(0).optional();

/** The native monitors API under /api/v1: monitor specs, their stored results and alerts, and delayed labels. */
export const MONITOR_API = [
  endpoint({
    method: 'PUT',
    url: '/monitors/:name',
    summary: 'Create or update a monitor (its detectors are refitted when the spec or reference changed)',
    tags: MONITORS,
    params: nameParams,
    body: specBody,
    handler: async (o, { params, body }) => {
      if (body.name !== undefined && body.name !== params.name)
        throw invalidArgument(`the spec is named '${String(body.name)}' but the URL names '${params.name}'`);
      return o.monitoring.applyMonitor(validateMonitorSpec({ ...body, name: params.name }));
    },
  }),
  endpoint({
    method: 'GET',
    url: '/monitors',
    summary: 'List monitors',
    tags: MONITORS,
    handler: async (o) => ({ monitors: await o.monitoring.listMonitors() }),
  }),
  endpoint({
    method: 'GET',
    url: '/monitors/:name',
    summary: 'Get one monitor',
    tags: MONITORS,
    params: nameParams,
    handler: async (o, { params }) => o.monitoring.getMonitor(params.name),
  }),
  endpoint({
    method: 'POST',
    url: '/monitors/:name/evaluate',
    summary: 'Evaluate the windows the payload log has completed since the last evaluation',
    tags: MONITORS,
    params: nameParams,
    handler: async (o, { params }) => o.monitoring.evaluate(params.name),
  }),
  endpoint({
    method: 'GET',
    url: '/monitors/:name/results',
    summary: "A monitor's stored results (one row per window, metric and model version)",
    tags: MONITORS,
    params: nameParams,
    query: z.object({ metric: z.string().min(1).optional(), from: millis, to: millis, limit: count }),
    handler: async (o, { params, query }) => ({
      results: await o.monitoring.listResults(params.name, query),
    }),
  }),
  endpoint({
    method: 'GET',
    url: '/alerts',
    summary: 'Alerts, newest first, with their evidence',
    tags: MONITORS,
    query: z.object({ monitor: z.string().min(1).optional(), limit: count }),
    handler: async (o, { query }) => ({ alerts: await o.monitoring.listAlerts(query) }),
  }),
  endpoint({
    method: 'POST',
    url: '/feedback',
    summary: 'Attach a delayed ground-truth label to a logged prediction, by request id',
    tags: MONITORS,
    body: z.object({ requestId: z.string().min(1), groundTruth: z.unknown() }),
    handler: async (o, { body }) => o.monitoring.recordFeedback(body.requestId, body.groundTruth),
  }),
];
