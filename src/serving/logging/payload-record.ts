import { randomUUID } from 'node:crypto';
import { toOipTensors } from '../../models/index.js';
import type { Feedback, InferenceRequest, InferenceResponse, JsonValue } from '../types.js';
import { type CloudEvent, EVENT_TYPES, EXTENSIONS } from './cloud-event.js';

/** Where payloads come from: the labels every event of one wrapped endpoint carries. */
export interface PayloadLabels {
  deployment: string;
  /** The graph node (or the model's own name when it is served alone). */
  node: string;
  model: string;
  version?: string;
  /** The traffic variant that served (KServe `endpoint`: `default`, `canary`, `shadow`). */
  route?: string;
}

/**
 * What the serving path hands the logger: references to the request and response, turned into a
 * CloudEvent later by the flusher, so the request path pays for one small object, not a JSON copy.
 */
export type PayloadRecord =
  | { kind: 'request'; time: number; request: InferenceRequest }
  | {
      kind: 'response';
      time: number;
      request: InferenceRequest;
      response: InferenceResponse;
      latencyMs: number;
    }
  | { kind: 'error'; time: number; request: InferenceRequest; error: unknown; latencyMs: number }
  | { kind: 'feedback'; time: number; feedback: Feedback }
  /** An explainer's answer (already its JSON body), kept for audit beside the request id. */
  | { kind: 'explanation'; time: number; requestId: string; explanation: JsonValue };

/** The attributes that are the same for every event of one set of labels, computed once. */
export function constantAttributes(labels: PayloadLabels): Record<string, string> {
  const attributes: Record<string, string> = {
    source: `/osprey/deployments/${encodeURIComponent(labels.deployment)}/nodes/${encodeURIComponent(labels.node)}`,
    [EXTENSIONS.deployment]: labels.deployment,
    [EXTENSIONS.node]: labels.node,
    [EXTENSIONS.modelName]: labels.model,
  };
  if (labels.version !== undefined) attributes[EXTENSIONS.modelVersion] = labels.version;
  if (labels.route !== undefined) attributes[EXTENSIONS.route] = labels.route;
  return attributes;
}

/** The CloudEvent for one record: OIP JSON bodies as data (OIP REST `$inference_request` / `$inference_response`). */
export function toCloudEvent(record: PayloadRecord, constant: Readonly<Record<string, string>>): CloudEvent {
  const event: CloudEvent = {
    specversion: '1.0',
    id: randomUUID(),
    source: constant.source!,
    type: EVENT_TYPES[record.kind],
    time: new Date(record.time).toISOString(),
    datacontenttype: 'application/json',
    ...constant,
  };
  if (record.kind === 'feedback') {
    event[EXTENSIONS.requestId] = record.feedback.requestId;
    event.data = feedbackBody(record.feedback);
    return event;
  }
  if (record.kind === 'explanation') {
    event[EXTENSIONS.requestId] = record.requestId;
    event.data = record.explanation;
    return event;
  }
  const { request } = record;
  event[EXTENSIONS.requestId] = request.id;
  const traceparent = request.headers?.traceparent;
  if (traceparent !== undefined) event[EXTENSIONS.traceparent] = traceparent;
  if (record.kind === 'request') {
    event.data = requestBody(request);
    return event;
  }
  // CloudEvents has no floating-point type (spec.md §3.1.1 "Type System"): milliseconds as a decimal string.
  event[EXTENSIONS.latencyMs] = record.latencyMs.toFixed(3);
  if (record.kind === 'response') {
    if (record.response.routing !== undefined)
      event[EXTENSIONS.routing] = JSON.stringify(record.response.routing);
    event.data = responseBody(record.response);
  } else {
    event.data = errorBody(record.error);
  }
  return event;
}

function requestBody(request: InferenceRequest): JsonValue {
  const body: Record<string, JsonValue> = { id: request.id, inputs: jsonTensors(request.inputs) };
  if (request.parameters !== undefined) body.parameters = request.parameters;
  if (request.outputs !== undefined) body.outputs = request.outputs.map((name) => ({ name }));
  return body;
}

function responseBody(response: InferenceResponse): JsonValue {
  const body: Record<string, JsonValue> = { model_name: response.modelName };
  if (response.modelVersion !== undefined) body.model_version = response.modelVersion;
  body.id = response.id;
  if (response.parameters !== undefined) body.parameters = response.parameters;
  body.outputs = jsonTensors(response.outputs);
  return body;
}

// The OIP error body (`{"error": "..."}`), plus the Osprey error code when there is one.
function errorBody(error: unknown): JsonValue {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { error: message, code } : { error: message };
}

function feedbackBody(feedback: Feedback): JsonValue {
  const body: Record<string, JsonValue> = { request_id: feedback.requestId };
  if (feedback.routing !== undefined) body.routing = feedback.routing;
  if (feedback.reward !== undefined) body.reward = feedback.reward;
  if (feedback.truth !== undefined) body.truth = jsonTensors(feedback.truth);
  return body;
}

function jsonTensors(tensors: Parameters<typeof toOipTensors>[0]): JsonValue {
  return toOipTensors(tensors) as unknown as JsonValue;
}
