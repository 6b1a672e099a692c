import { z } from 'zod';
import { RUN_STATUSES, VIEW_TYPES } from '../../tracking/index.js';

/** Request schemas of the native API (camelCase JSON). */

export const tagSchema = z.object({ key: z.string().min(1), value: z.string() });
const int = z.coerce.number().int();
const optionalList = z.preprocess(
  (v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]),
  z.array(z.string()).optional(),
);

export const experimentIdParams = z.object({
  experimentId: z.string().regex(/^\d+$/, 'experiment ids are decimal'),
});
export const runIdParams = z.object({ runId: z.string().min(1) });
export const tagKeyParams = z.object({ key: z.string().min(1) });

export const createExperimentBody = z.object({
  name: z.string().min(1),
  artifactLocation: z.string().optional(),
  tags: z.array(tagSchema).optional(),
});

export const updateExperimentBody = z.object({ name: z.string().min(1) });

export const searchExperimentsQuery = z.object({
  filter: z.string().optional(),
  viewType: z.enum(VIEW_TYPES as [string, ...string[]]).optional(),
  maxResults: int.positive().optional(),
  orderBy: optionalList,
  pageToken: z.string().optional(),
});

export const tagValueBody = z.object({ value: z.string() });

export const createRunBody = z.object({
  experimentId: z.string().optional(),
  runName: z.string().optional(),
  userId: z.string().optional(),
  startTime: z.number().int().nonnegative().optional(),
  tags: z.array(tagSchema).optional(),
  parentRunId: z.string().optional(),
});

export const updateRunBody = z.object({
  status: z.enum(RUN_STATUSES as [string, ...string[]]).optional(),
  endTime: z.number().int().nonnegative().optional(),
  runName: z.string().min(1).optional(),
});

/** JSON has no NaN or Infinity: they travel as strings, like proto3 JSON. */
const metricValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);

export const logBatchBody = z.object({
  metrics: z
    .array(
      z.object({
        key: z.string(),
        value: metricValue,
        timestamp: z.number().int(),
        step: z.number().int().default(0),
      }),
    )
    .optional(),
  params: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  tags: z.array(tagSchema).optional(),
});

export const logInputsBody = z.object({
  datasetInputs: z.array(
    z.object({
      tags: z.array(tagSchema).default([]),
      dataset: z.object({
        name: z.string().min(1),
        digest: z.string().min(1),
        sourceType: z.string().min(1),
        source: z.string().min(1),
        schema: z.string().optional(),
        profile: z.string().optional(),
      }),
    }),
  ),
});

export const searchRunsBody = z.object({
  experimentIds: z.array(z.string()).min(1),
  filter: z.string().optional(),
  viewType: z.enum(VIEW_TYPES as [string, ...string[]]).optional(),
  maxResults: z.number().int().positive().optional(),
  orderBy: z.array(z.string()).optional(),
  pageToken: z.string().optional(),
});

export const metricParams = z.object({ runId: z.string().min(1), key: z.string().min(1) });
export const historyQuery = z.object({
  maxResults: int.positive().optional(),
  pageToken: z.string().optional(),
});
export const sampledQuery = z.object({
  maxPoints: int.positive().optional(),
  startStep: int.optional(),
  endStep: int.optional(),
});

export const artifactListQuery = z.object({ path: z.string().optional() });
export const artifactParams = z.object({ runId: z.string().min(1), '*': z.string().min(1) });

export const modelNameParams = z.object({ name: z.string().min(1) });
export const modelVersionParams = z.object({
  name: z.string().min(1),
  version: z.string().regex(/^\d+$/, 'versions are positive integers'),
});
export const aliasParams = z.object({ name: z.string().min(1), alias: z.string().min(1) });

export const createModelBody = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  tags: z.array(tagSchema).optional(),
});
export const updateModelBody = z.object({
  newName: z.string().min(1).optional(),
  description: z.string().optional(),
});
export const registrySearchQuery = z.object({
  filter: z.string().optional(),
  maxResults: int.positive().optional(),
  orderBy: optionalList,
  pageToken: z.string().optional(),
});
export const createVersionBody = z.object({
  source: z.string().min(1),
  runId: z.string().optional(),
  runLink: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(tagSchema).optional(),
});
export const updateVersionBody = z.object({
  description: z.string().optional(),
  stage: z.string().optional(),
  archiveExistingVersions: z.boolean().default(false),
});
export const setAliasBody = z.object({
  version: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]),
});
export const resolveQuery = z.object({ uri: z.string().min(1) });
