import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ZodType, z } from 'zod';
import type { Osprey } from '../../app/index.js';
import { invalidArgument } from '../../errors/index.js';

/** One native API route as data: schemas validate the request and document it in the OpenAPI file. */
export interface ApiEndpoint<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** Stream the raw request body to the handler instead of parsing JSON (artifact uploads). */
  rawBody?: boolean;
  handler: (
    osprey: Osprey,
    input: { params: P; query: Q; body: B },
    request: FastifyRequest,
    reply: FastifyReply,
  ) => Promise<unknown>;
}

/** Helps TypeScript infer each endpoint's input types from its schemas. */
export function endpoint<P = unknown, Q = unknown, B = unknown>(
  spec: ApiEndpoint<P, Q, B>,
): ApiEndpoint<P, Q, B> {
  return spec;
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length > 0 ? `${where}.${issue.path.join('.')}` : where;
  throw invalidArgument(`${path}: ${issue.message}`, { issues: result.error.issues });
}

const jsonSchema = (schema: ZodType | undefined) =>
  schema
    ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
    : undefined;

/** Fastify warns about schema keys that are present but undefined. */
function withoutUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Mounts endpoints; validation is zod's alone (Fastify's compiler is switched off for these routes). */
export function mountEndpoints(
  app: FastifyInstance,
  osprey: Osprey,
  endpoints: readonly ApiEndpoint<never, never, never>[],
) {
  for (const spec of endpoints as unknown as readonly ApiEndpoint[]) {
    app.route({
      method: spec.method,
      url: spec.url,
      schema: withoutUndefined({
        summary: spec.summary,
        tags: spec.tags,
        params: jsonSchema(spec.params),
        querystring: jsonSchema(spec.query),
        body: spec.rawBody ? undefined : jsonSchema(spec.body),
      }),
      validatorCompiler: () => () => true,
      handler: (request, reply) =>
        spec.handler(
          osprey,
          {
            params: parse(spec.params, request.params, 'params'),
            query: parse(spec.query, request.query, 'query'),
            body: spec.rawBody ? (undefined as never) : parse(spec.body, request.body, 'body'),
          },
          request,
          reply,
        ),
    });
  }
}
