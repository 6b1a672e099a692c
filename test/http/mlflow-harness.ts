// Shared harness for the MLflow wire-conformance tests: one Osprey + Fastify app per database,
// every suite run under both MLflow prefixes (/api/2.0/mlflow and /ajax-api/2.0/mlflow).
// The wire rules asserted here come from https://mlflow.org/docs/latest/rest-api.html and
// reference/tracking.md §1 (snake_case, int64 as numbers, empty fields omitted, {error_code, message}).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Osprey } from '../../src/app/index.js';
import { buildServer } from '../../src/server/index.js';
import { dialects } from '../support/databases.js';
import { testOsprey } from '../support/osprey.js';

export const PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

export type TestOsprey = Osprey & { dispose(): Promise<void>; now: { ms: number } };
export type Query = Record<string, string | number | readonly (string | number)[] | undefined>;

/** A decoded reply: status, parsed JSON (undefined when the body is not JSON) and the raw text. */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: LightMyRequestResponse['headers'];
}

/** Builds `?a=1&b=x&b=y` with repeated keys for arrays, as MLflow's clients send repeated fields. */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function decode(response: LightMyRequestResponse): Reply {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: response.statusCode, body, text: response.body, headers: response.headers };
}

/** Calls the MLflow API under one prefix through `app.inject()` (no socket). */
export class MlflowCaller {
  constructor(
    private readonly app: () => FastifyInstance,
    readonly prefix: string,
    /** A short label unique per prefix, used to keep entity names apart between the two prefix suites. */
    readonly tag: string,
    readonly osprey: () => TestOsprey,
    /** The app listening on 127.0.0.1 (started on first use, shared by the suites of one database). */
    readonly baseUrl: () => Promise<string>,
  ) {}

  async post(path: string, body: unknown): Promise<Reply> {
    return this.inject({ method: 'POST', url: `${this.prefix}${path}`, payload: body as string });
  }

  async get(path: string, query?: Query): Promise<Reply> {
    return this.inject({ method: 'GET', url: `${this.prefix}${path}${queryString(query)}` });
  }

  async inject(options: InjectOptions): Promise<Reply> {
    return decode(await this.app().inject(options));
  }

  /** POST that must succeed; returns the body. */
  async ok(path: string, body: unknown): Promise<Record<string, unknown>> {
    return expectOk(await this.post(path, body));
  }

  /** GET that must succeed; returns the body. */
  async read(path: string, query?: Query): Promise<Record<string, unknown>> {
    return expectOk(await this.get(path, query));
  }

  /** Creates an experiment and returns its id. */
  async experiment(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const body = await this.ok('/experiments/create', { name: `${name}-${this.tag}`, ...extra });
    return body.experiment_id as string;
  }

  /** Creates a run (in `experimentId`, default the Default experiment) and returns its run_id. */
  async run(experimentId = '0', extra: Record<string, unknown> = {}): Promise<string> {
    const body = await this.ok('/runs/create', { experiment_id: experimentId, ...extra });
    return (body.run as { info: { run_id: string } }).info.run_id;
  }
}

/** Asserts a 200 JSON reply that obeys MLflow's wire rules and returns its body. */
export function expectOk(reply: Reply): Record<string, unknown> {
  assert.equal(reply.status, 200, `expected 200, got ${reply.status}: ${reply.text}`);
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  assertWireJson(reply.body);
  return reply.body;
}

/** Asserts the reply of a write RPC: exactly `{}`. */
export function expectEmpty(reply: Reply): void {
  assert.equal(reply.status, 200, `expected 200, got ${reply.status}: ${reply.text}`);
  assert.equal(reply.text, '{}');
}

/** Asserts an MLflow error: the status and a body of exactly `{error_code, message}`. */
export function expectError(reply: Reply, status: number, errorCode: string, message?: RegExp): void {
  assert.equal(reply.status, status, `expected ${status} ${errorCode}, got ${reply.status}: ${reply.text}`);
  assert.deepEqual(Object.keys(reply.body).sort(), ['error_code', 'message'], reply.text);
  assert.equal(reply.body.error_code, errorCode, reply.text);
  assert.equal(typeof reply.body.message, 'string');
  assert.ok((reply.body.message as string).length > 0);
  if (message) assert.match(reply.body.message as string, message);
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * MLflow's JSON printer (proto field names, unset fields omitted): every key is snake_case, and no
 * value is null, an empty list or an empty object anywhere below the top level.
 */
export function assertWireJson(value: unknown, path = '$'): void {
  if (Array.isArray(value)) {
    if (path !== '$') assert.ok(value.length > 0, `${path} is an empty list: empty fields must be omitted`);
    value.forEach((item, i) => {
      assertWireJson(item, `${path}[${i}]`);
    });
    return;
  }
  assert.notEqual(value, null, `${path} is null: unset fields must be omitted`);
  if (typeof value !== 'object') return;
  const entries = Object.entries(value as Record<string, unknown>);
  if (path !== '$') assert.ok(entries.length > 0, `${path} is an empty object: empty fields must be omitted`);
  for (const [key, field] of entries) {
    assert.match(key, SNAKE, `${path}.${key} is not a snake_case proto field name`);
    assertWireJson(field, `${path}.${key}`);
  }
}

/** Asserts `value` is an int64 printed as a JSON number (MLflow marks int64 fields so they are not strings). */
export function assertInt64(value: unknown, what: string): asserts value is number {
  assert.equal(typeof value, 'number', `${what} must be a JSON number, got ${JSON.stringify(value)}`);
  assert.ok(Number.isSafeInteger(value), `${what} must be an integer`);
}

/**
 * Declares `body` once per database (SQLite, and PostgreSQL unless unreachable outside CI) and, inside,
 * once per MLflow prefix. All suites of one database share one Osprey and one app.
 */
export async function mlflowSuites(
  title: string,
  body: (mlflow: MlflowCaller) => void,
  options: { prefixes?: readonly string[] } = {},
): Promise<void> {
  for (const dialect of await dialects()) {
    describe(`${title} on ${dialect.name}`, { skip: dialect.skip }, () => {
      let osprey: TestOsprey | undefined;
      let app: FastifyInstance | undefined;
      let listening: Promise<string> | undefined;
      const baseUrl = () => {
        listening ??= (app as FastifyInstance).listen({ port: 0, host: '127.0.0.1' });
        return listening;
      };
      before(async () => {
        osprey = await testOsprey(await dialect.create());
        app = await buildServer(osprey, { logger: false });
      });
      after(async () => {
        await app?.close();
        await osprey?.dispose();
      });
      const prefixes = options.prefixes ?? PREFIXES;
      for (const prefix of prefixes) {
        const tag = prefix.startsWith('/ajax') ? 'ajax' : 'api';
        describe(prefix, () => {
          body(
            new MlflowCaller(
              () => app as FastifyInstance,
              prefix,
              tag,
              () => osprey as TestOsprey,
              baseUrl,
            ),
          );
        });
      }
    });
  }
}
