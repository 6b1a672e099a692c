// MLflow's scoring server protocol (mlflow `mlflow/pyfunc/scoring_server/__init__.py`; reference
// note serving.md §1.2): `POST /invocations` with `application/json` (exactly one of
// dataframe_split, dataframe_records, instances, inputs; optional params) or `text/csv`, answering
// `{"predictions": ...}`; `GET /ping` and `/health`, `GET /version`. Errors are MLflow's
// `{"error_code", "message"}`, except 415 which MLflow answers in plain text.
//
// Model choice: MLflow serves one model per server. Here `?model=<name>` picks an endpoint, else
// the `defaultModel` option, else the server's only endpoint; with several and no choice, 400.

import { parse as parseCsv } from 'csv-parse/sync';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, invalidArgument, OspreyError } from '../../errors/index.js';
import type { NamedTensors, Signature } from '../../models/index.js';
import { toTensors } from '../../models/index.js';
import type { InferenceServer, JsonValue } from '../types.js';
import {
  bodyOf,
  clientGone,
  headersOf,
  type ProtocolRouteOptions,
  prepareScope,
  requestId,
} from './http-scope.js';
import { pickEndpoint, runInference } from './infer-call.js';
import type { ProtocolFailure } from './protocol-error.js';
import { predictionsOf, tensorsFromColumnar, tensorsFromInstances, tensorsFromTable } from './row-tensors.js';

/** Options of the MLflow scoring routes. */
export interface MlflowRouteOptions extends ProtocolRouteOptions {
  /** The endpoint served when the request names none (default: the server's only endpoint). */
  defaultModel?: string;
}

const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;

/** MLflow `error_code` per Osprey code (mlflow/protos/databricks.proto names). */
const ERROR_CODES: Readonly<Record<ErrorCode, string>> = {
  INVALID_ARGUMENT: 'BAD_REQUEST',
  NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  CONFLICT: 'RESOURCE_CONFLICT',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  RESOURCE_EXHAUSTED: 'REQUEST_LIMIT_EXCEEDED',
  PAYLOAD_TOO_LARGE: 'BAD_REQUEST',
  UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  INTERNAL: 'INTERNAL_ERROR',
};

/** An unsupported media type: MLflow answers 415 in text/plain, so does this. */
class UnsupportedMediaType extends Error {}

function writeError(reply: FastifyReply, failure: ProtocolFailure) {
  return reply
    .status(failure.status)
    .type('application/json')
    .send({ error_code: ERROR_CODES[failure.code], message: failure.message });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks the content type as MLflow does: JSON or CSV, UTF-8 only, no other parameters. */
function mediaType(header: string | undefined): 'json' | 'csv' {
  const [mime = '', ...params] = (header ?? '').split(';').map((s) => s.trim());
  const values = new Map(
    params.map((p) => [p.split('=')[0]!.trim().toLowerCase(), p.split('=')[1]?.trim() ?? '']),
  );
  if ((values.get('charset') ?? 'utf-8').toLowerCase() !== 'utf-8') {
    throw new UnsupportedMediaType('The scoring server only supports UTF-8');
  }
  const unexpected = [...values.keys()].filter((k) => k !== 'charset');
  if (unexpected.length > 0)
    throw new UnsupportedMediaType(`Unrecognized content type parameters: ${unexpected.join(', ')}.`);
  if (mime.toLowerCase() === 'application/json') return 'json';
  if (mime.toLowerCase() === 'text/csv') return 'csv';
  throw new UnsupportedMediaType(
    `This predictor only supports the following content types: ['text/csv', 'application/json']. Got '${header ?? ''}'.`,
  );
}

/** Decodes an `/invocations` JSON body into tensors and params. */
export function decodeMlflowJson(
  text: string,
  signature: Signature,
): { inputs: NamedTensors; params?: Record<string, JsonValue> } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(
      `Invalid input. Ensure that input is a valid JSON formatted string: ${(error as Error).message}`,
    );
  }
  const required = `The input must be a JSON dictionary with exactly one of the input fields {${FORMATS.join(', ')}}`;
  if (!isRecord(body))
    throw invalidArgument(`${required}. Received ${Array.isArray(body) ? 'a list' : typeof body}.`);
  const present = FORMATS.filter((k) => k in body);
  if (present.length !== 1) {
    throw invalidArgument(
      `${required}. Received dictionary with input fields: [${Object.keys(body).join(', ')}].`,
    );
  }
  const format = present[0]!;
  const value = body[format];
  const inputs =
    format === 'instances'
      ? tensorsFromInstances(value, signature, format)
      : format === 'inputs'
        ? tensorsFromColumnar(value, signature, format)
        : tensorsFromTable(value, signature, format);
  const params = body.params;
  if (params !== undefined && !isRecord(params)) throw invalidArgument('params must be an object');
  return { inputs, ...(params ? { params: params as Record<string, JsonValue> } : {}) };
}

/** Decodes a `text/csv` body (header row, then one row per record) into tensors. */
export function decodeMlflowCsv(text: string, signature: Signature): NamedTensors {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<
      string,
      string
    >[];
  } catch (error) {
    throw invalidArgument(`Failed to parse input as CSV with a header row: ${(error as Error).message}`);
  }
  if (records.length === 0) throw invalidArgument('the CSV input has no data rows');
  return toTensors(records, signature, { coerceStrings: true });
}

type ModelQuery = { Querystring: { model?: string } };

/** MLflow's scoring-server routes over `server`, as a Fastify plugin. */
export function mlflowRoutes(server: InferenceServer, options: MlflowRouteOptions = {}): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    prepareScope(app, options, writeError);
    const ping = async (request: FastifyRequest<ModelQuery>, reply: FastifyReply) => {
      const model = request.query.model ?? options.defaultModel;
      const ready = model ? pickEndpoint(server, model, undefined).ready() : server.ready();
      return reply
        .status(ready ? 200 : 404)
        .type('application/json')
        .send('\n');
    };
    app.get('/ping', ping);
    app.get('/health', ping);
    app.get('/version', async (_request, reply) => reply.type('text/plain').send(server.metadata().version));
    app.post('/invocations', async (request: FastifyRequest<ModelQuery>, reply) => {
      let kind: 'json' | 'csv';
      try {
        kind = mediaType(request.headers['content-type']);
      } catch (error) {
        if (error instanceof UnsupportedMediaType)
          return reply.status(415).type('text/plain').send(error.message);
        throw error;
      }
      const endpoint = pickEndpoint(server, request.query.model, options.defaultModel);
      if (!endpoint.ready()) throw new OspreyError('UNAVAILABLE', `model '${endpoint.name}' is not ready`);
      const text = bodyOf(request).toString('utf8');
      const decoded =
        kind === 'csv'
          ? { inputs: decodeMlflowCsv(text, endpoint.signature) }
          : decodeMlflowJson(text, endpoint.signature);
      const response = await runInference(
        endpoint,
        {
          id: requestId(undefined, request),
          inputs: decoded.inputs,
          ...('params' in decoded && decoded.params ? { parameters: decoded.params } : {}),
          headers: headersOf(request),
        },
        clientGone(reply),
      );
      return reply
        .type('application/json')
        .send({ predictions: predictionsOf(response.outputs, endpoint.signature) });
    });
  };
}
