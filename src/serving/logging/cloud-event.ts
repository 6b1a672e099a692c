import type { JsonValue } from '../types.js';

/**
 * One CloudEvent in its JSON form (CloudEvents 1.0, `spec.md` §3 "Context Attributes", `formats/json-format.md`).
 * Extension attributes sit beside the core ones, as the JSON format puts them.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  subject?: string;
  data?: JsonValue;
  [extension: string]: JsonValue | undefined;
}

/** Event types Osprey emits (reverse-DNS, as Seldon's `io.seldon.serving.inference.*` and KServe's `org.kubeflow.serving.inference.*`). */
export const EVENT_TYPES = Object.freeze({
  request: 'io.osprey.inference.request',
  response: 'io.osprey.inference.response',
  error: 'io.osprey.inference.error',
  feedback: 'io.osprey.inference.feedback',
  explanation: 'io.osprey.inference.explanation',
});

/**
 * Extension attributes on every payload event. Names follow the anchors where they have one:
 * `inferenceservicename` (KServe and Seldon: the deployment), `modelid` (Seldon's executor: the graph node),
 * `requestid` (Seldon, MLServer), `endpoint` (KServe: the traffic variant, e.g. `default`/`canary`),
 * `traceparent` (CloudEvents distributed-tracing extension). The rest are Osprey's own.
 */
export const EXTENSIONS = Object.freeze({
  deployment: 'inferenceservicename',
  node: 'modelid',
  requestId: 'requestid',
  route: 'endpoint',
  modelName: 'modelname',
  modelVersion: 'modelversion',
  latencyMs: 'latencyms',
  routing: 'routing',
  traceparent: 'traceparent',
});

const CORE = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'datacontenttype',
  'dataschema',
  'subject',
]);
// Neither a context attribute nor an extension: the payload members of the JSON format (§3).
const PAYLOAD = new Set(['data', 'data_base64']);
// spec.md §3.1.1 "Attribute Naming Convention": lower-case ASCII letters or digits only; SHOULD NOT exceed 20.
const NAME = /^[a-z0-9]+$/;
// RFC 3339 date-time (spec.md §3.1.1 "Timestamp").
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `name` is a legal CloudEvents 1.0 attribute name (lower-case ASCII letters and digits, at most 20). */
export function isAttributeName(name: string): boolean {
  return NAME.test(name) && name.length <= 20;
}

/** The extension attributes of an event (everything that is neither a core attribute nor the data). */
export function extensionsOf(event: CloudEvent): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(event)) {
    if (!CORE.has(key) && !PAYLOAD.has(key) && value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * What is wrong with an event against CloudEvents 1.0 (empty when nothing): required attributes present
 * and non-empty strings, `time` an RFC 3339 timestamp, extension names legal, extension values scalars
 * (the JSON format maps Boolean, Integer and String; a non-integer number has no CloudEvents type).
 */
export function cloudEventProblems(event: CloudEvent): string[] {
  const problems: string[] = [];
  if (event.specversion !== '1.0') problems.push(`specversion must be '1.0'`);
  for (const key of ['id', 'source', 'type'] as const) {
    if (typeof event[key] !== 'string' || event[key] === '')
      problems.push(`${key} must be a non-empty string`);
  }
  if (event.time !== undefined && !(typeof event.time === 'string' && RFC3339.test(event.time)))
    problems.push('time must be an RFC 3339 timestamp');
  for (const [name, value] of Object.entries(extensionsOf(event))) {
    if (!isAttributeName(name)) problems.push(`extension '${name}' is not lower-case alphanumeric (<= 20)`);
    const scalar =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31);
    if (!scalar) problems.push(`extension '${name}' must be a string, boolean or 32-bit integer`);
  }
  return problems;
}

// HTTP binding §3.1.3.2: percent-encode space, double quote, percent and anything outside printable ASCII.
const UNSAFE_HEADER_CHARS = /[^\x21\x23-\x24\x26-\x7e]/gu;

/** A header value for binary mode (CloudEvents HTTP binding §3.1.3.2), UTF-8 percent-encoded where needed. */
export function encodeHeaderValue(value: string): string {
  return value.replace(UNSAFE_HEADER_CHARS, encodeChar);
}

function encodeChar(c: string): string {
  try {
    return encodeURIComponent(c);
  } catch {
    return '%EF%BF%BD'; // a lone surrogate has no UTF-8 form: U+FFFD, as a UTF-8 decoder would give
  }
}

/**
 * The headers and body of an event in HTTP binary content mode (HTTP binding §3.1): every attribute but
 * `datacontenttype` becomes a `ce-<name>` header, `datacontenttype` becomes `content-type`, the data is the body.
 */
export function toBinaryMessage(event: CloudEvent): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(event)) {
    if (value === undefined || PAYLOAD.has(key) || key === 'datacontenttype') continue;
    headers[`ce-${key}`] = encodeHeaderValue(typeof value === 'string' ? value : JSON.stringify(value));
  }
  headers['content-type'] = event.datacontenttype ?? 'application/json';
  return { headers, body: event.data === undefined ? '' : JSON.stringify(event.data) };
}
