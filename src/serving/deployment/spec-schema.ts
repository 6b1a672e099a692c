import { z } from 'zod';
import type { JsonValue } from '../types.js';

/** Node types of an inference graph (Seldon Core v1 `PredictiveUnit` types, plus `remote`). */
export const NODE_TYPES = [
  'model',
  'transformer',
  'output_transformer',
  'router',
  'combiner',
  'remote',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** KServe InferenceGraph router types (`inference_graph.go`): they route by step, not by a route() call. */
export const KSERVE_ROUTERS = ['Sequence', 'Switch', 'Ensemble', 'Splitter'] as const;
/** Built-in Seldon-style routers: route() picks one child and feedback may update it. */
export const SELDON_ROUTERS = ['random-ab', 'epsilon-greedy', 'thompson'] as const;
export type RouterType = (typeof KSERVE_ROUTERS)[number] | (typeof SELDON_ROUTERS)[number];

export const CONDITION_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'exists'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
export type Scalar = string | number | boolean;

/**
 * A test on the request a KServe step runs on: one input tensor (every element must pass), one
 * request parameter or one header. `exists` needs no value; `in` takes a list.
 */
export interface ConditionSpec {
  input?: string;
  parameter?: string;
  header?: string;
  op: ConditionOp;
  value?: Scalar | Scalar[];
}

export type RouterSpec =
  | { type: 'random-ab'; ratioA?: number }
  | { type: 'epsilon-greedy'; epsilon?: number; bestBranch?: number }
  | { type: 'thompson' }
  | { type: (typeof KSERVE_ROUTERS)[number] };

export type CombinerType = 'mean' | 'majority';

/** Adaptive batching of one node (MLServer / Triton rules); absent = off. */
export interface BatchingSpec {
  /** Rows a batch holds at most; the batch is sent as soon as it is full. */
  maxBatchSize: number;
  /** How long the first queued request waits for others before the batch is sent anyway. */
  maxBatchTimeMs: number;
}

/** One node of an inference graph. */
export interface NodeSpec {
  name: string;
  type: NodeType;
  /** Model URI (`models:/fraud@champion`, `runs:/…`, a path): the model, or a transformer package. */
  model?: string;
  /** An ES module path (transformer, output_transformer, router or combiner written in JS). */
  module?: string;
  /** The module's export to use (default `default`). */
  export?: string;
  /** An Open Inference Protocol model URL, `http(s)://host[:port]/v2/models/<name>[/versions/<v>]`. */
  url?: string;
  router?: RouterSpec;
  combiner?: CombinerType;
  /** Passed to a module's `load(parameters)`. */
  parameters?: Record<string, JsonValue>;
  children?: NodeSpec[];
  /** As a step of a Switch or Sequence parent: when the step runs. */
  condition?: ConditionSpec;
  /** As a step of a Sequence parent: the original request or the previous step's response (KServe `data`). */
  data?: '$request' | '$response';
  /** As a step of a Sequence or Ensemble parent: whether its failure fails the request (default hard). */
  dependency?: 'hard' | 'soft';
  /** As a child of a Splitter: its share of requests, in percent (all children sum to 100). */
  weight?: number;
  batching?: BatchingSpec;
  /** Worker threads holding a session of the model (ONNX). */
  workers?: number;
  /** Intra-op threads per session (ONNX). */
  threads?: number;
}

/** A named graph the traffic policy can send requests to. */
export interface VariantSpec {
  name: string;
  graph: NodeSpec;
}

/** A mirror: `percent` of requests are copied to the variant; its answers and errors are dropped. */
export interface ShadowSpec {
  variant: string;
  percent: number;
}

/** How requests are split between variants; variants in `shadows` only receive copies. */
export type TrafficSpec = { shadows?: ShadowSpec[] } & (
  | { policy: 'single'; variant: string }
  | { policy: 'canary'; main: string; canary: string; percent: number }
  | { policy: 'ab'; weights: Record<string, number> }
  | { policy: 'epsilon-greedy'; arms: string[]; epsilon?: number }
  | { policy: 'thompson'; arms: string[] }
);

export interface PayloadLoggingSpec {
  enabled: boolean;
  /** Share of requests logged, in [0, 1]. */
  sampleRate: number;
}

/** A KernelSHAP explainer over the live deployment (`/v2/models/{name}/explain`). */
export interface ExplainerSpec {
  /** A CSV file whose header names the features: the rows standing for "feature absent". */
  background: string;
  /** KernelSHAP coalitions per row (default 2M + 2048, capped at 2^M - 2: exact for few features). */
  nsamples?: number;
  /** Background rows kept, summarised with k-means (default 100). */
  maxBackground?: number;
  /** The model output explained (default: the first floating-point output). */
  output?: string;
}

/** A deployment: one graph, or several variants with a traffic policy. */
export interface DeploymentSpec {
  name: string;
  version?: string;
  graph?: NodeSpec;
  variants?: VariantSpec[];
  traffic?: TrafficSpec;
  payloadLogging: PayloadLoggingSpec;
  /** Deadline of each request, from arrival to answer; none when absent. */
  timeoutMs?: number;
  explainer?: ExplainerSpec;
}

/** Name of the implicit root that splits traffic between variants; `routing.traffic` is a variant index. */
export const TRAFFIC_NODE = 'traffic';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const name = z
  .string()
  .regex(NAME, 'must be 1-128 letters, digits, "_", "." or "-", starting with a letter or digit');
const percent = z
  .number()
  .min(0, 'must be a percentage in [0, 100]')
  .max(100, 'must be a percentage in [0, 100]');
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

const ConditionSchema = z
  .object({
    input: z.string().min(1).optional(),
    parameter: z.string().min(1).optional(),
    header: z.string().min(1).optional(),
    op: z.enum(CONDITION_OPS),
    value: z.union([scalar, z.array(scalar)]).optional(),
  })
  .strict();

const RouterSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('random-ab'), ratioA: z.number().min(0).max(1).optional() }).strict(),
  z
    .object({
      type: z.literal('epsilon-greedy'),
      epsilon: z.number().min(0).max(1).optional(),
      bestBranch: z.number().int().min(0).optional(),
    })
    .strict(),
  z.object({ type: z.literal('thompson') }).strict(),
  ...KSERVE_ROUTERS.map((t) => z.object({ type: z.literal(t) }).strict()),
]);

export const BatchingSchema = z
  .object({
    maxBatchSize: z
      .number()
      .int()
      .min(1)
      .max(1 << 20),
    maxBatchTimeMs: z.number().min(0).max(60_000),
  })
  .strict();

export const NodeSchema: z.ZodType<NodeSpec> = z.lazy(() =>
  z
    .object({
      name,
      type: z.enum(NODE_TYPES),
      model: z.string().min(1).optional(),
      module: z.string().min(1).optional(),
      export: z.string().min(1).optional(),
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      router: RouterSchema.optional(),
      combiner: z.enum(['mean', 'majority']).optional(),
      parameters: z.record(z.string(), jsonValue).optional(),
      children: z.array(NodeSchema).optional(),
      condition: ConditionSchema.optional(),
      data: z.enum(['$request', '$response']).optional(),
      dependency: z.enum(['hard', 'soft']).optional(),
      weight: percent.optional(),
      batching: BatchingSchema.optional(),
      workers: z.number().int().min(1).max(256).optional(),
      threads: z.number().int().min(1).max(256).optional(),
    })
    .strict(),
);

const shadows = z.array(z.object({ variant: name, percent: percent.default(100) }).strict()).optional();

const TrafficSchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('single'), variant: name, shadows }).strict(),
  z.object({ policy: z.literal('canary'), main: name, canary: name, percent, shadows }).strict(),
  z.object({ policy: z.literal('ab'), weights: z.record(name, z.number().min(0)), shadows }).strict(),
  z
    .object({
      policy: z.literal('epsilon-greedy'),
      arms: z.array(name).min(2),
      epsilon: z.number().min(0).max(1).optional(),
      shadows,
    })
    .strict(),
  z.object({ policy: z.literal('thompson'), arms: z.array(name).min(2), shadows }).strict(),
]);

const ExplainerSchema = z
  .object({
    background: z
      .string()
      .min(1)
      .refine((v) => !/^[a-zA-Z][\w+.-]+:/.test(v), {
        error: 'must be a CSV file path (runs:/ and other URIs are not supported yet)',
      }),
    nsamples: z.number().int().min(2).max(1_000_000).optional(),
    maxBackground: z.number().int().min(1).max(10_000).optional(),
    output: z.string().min(1).optional(),
  })
  .strict();

export const DeploymentSchema = z
  .object({
    name,
    version: z.string().min(1).optional(),
    graph: NodeSchema.optional(),
    variants: z
      .array(z.object({ name, graph: NodeSchema }).strict())
      .min(1)
      .optional(),
    traffic: TrafficSchema.optional(),
    payloadLogging: z
      .object({
        enabled: z.boolean().default(false),
        sampleRate: z.number().min(0).max(1).default(1),
      })
      .strict()
      .default({ enabled: false, sampleRate: 1 }),
    timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
    explainer: ExplainerSchema.optional(),
  })
  .strict();
