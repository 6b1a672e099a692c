import { invalidArgument } from '../../errors/index.js';
import type { RunStatus, Tracking, ViewType } from '../../tracking/index.js';
import { RUN_STATUSES, VIEW_TYPES } from '../../tracking/index.js';
import type { MlflowInput } from './mlflow-input.js';
import { compact, experimentToWire, fileInfoToWire, metricToWire, runInfoToWire, runToWire } from './wire.js';

/** One MLflow RPC: its path under `/mlflow`, the methods it answers, and a handler from input to response JSON. */
export interface MlflowEndpoint {
  path: string;
  methods: readonly ('GET' | 'POST' | 'PATCH' | 'DELETE')[];
  handler: (tracking: Tracking, input: MlflowInput) => Promise<object>;
}

function viewType(input: MlflowInput, name: string): ViewType | undefined {
  const value = input.optionalString(name);
  if (value === undefined) return undefined;
  if (/^\d$/.test(value)) return VIEW_TYPES[Number(value) - 1] ?? invalidView(value);
  return (VIEW_TYPES as readonly string[]).includes(value) ? (value as ViewType) : invalidView(value);
}

function invalidView(value: string): never {
  throw invalidArgument(`Invalid view type '${value}': use ACTIVE_ONLY, DELETED_ONLY or ALL`);
}

/** A RunStatus given by name or, as proto JSON allows, by number (RUNNING = 1 … KILLED = 5). */
function runStatus(input: MlflowInput): RunStatus | undefined {
  const value = input.optionalString('status');
  if (value === undefined) return undefined;
  const status = /^\d$/.test(value) ? RUN_STATUSES[Number(value) - 1] : RUN_STATUSES.find((s) => s === value);
  if (!status) throw invalidArgument(`Invalid run status '${value}': use one of ${RUN_STATUSES.join(', ')}`);
  return status;
}

/** The MLmodel document of runs/log-model, with the fields MLflow requires (mlflow/server/handlers.py). */
function modelJson(input: MlflowInput): Record<string, unknown> {
  const text = input.string('model_json');
  let model: unknown;
  try {
    model = JSON.parse(text);
  } catch {
    throw invalidArgument(`Malformed model info. '${text.slice(0, 80)}' is not a valid JSON.`);
  }
  if (model === null || typeof model !== 'object' || Array.isArray(model))
    throw invalidArgument('Malformed model info: model_json must be a JSON object.');
  const missing = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter((f) => !(f in model));
  if (missing.length > 0)
    throw invalidArgument(`Model json is missing mandatory fields: ${missing.join(', ')}`);
  return model as Record<string, unknown>;
}

/** The models already logged to a run, kept by MLflow as a JSON list in the mlflow.log-model.history tag. */
function loggedModels(value: string | undefined): unknown[] {
  if (value === undefined) return [];
  try {
    const list = JSON.parse(value) as unknown;
    if (Array.isArray(list)) return list;
  } catch {
    // Fall through: a hand-set tag that is not a JSON list cannot be appended to.
  }
  throw invalidArgument(`Tag '${LOG_MODEL_HISTORY}' of this run is not a JSON list; cannot log a model.`);
}

const LOG_MODEL_HISTORY = 'mlflow.log-model.history';

/** Runs a write and answers with the empty object MLflow and the native API return for it. */
const ok = async (work: Promise<unknown>) => {
  await work;
  return {};
};

// mlflow/server/handlers.py: MAX_RUNS_GET_METRIC_HISTORY_BULK and MAX_RESULTS_PER_RUN (the default too).
const BULK_INTERVAL_MAX_RUNS = 100;
const BULK_INTERVAL_MAX_RESULTS = 2500;

const runId = (input: MlflowInput) => input.string('run_id', 'run_uuid');

async function searchExperiments(t: Tracking, input: MlflowInput) {
  const page = await t.experiments.search({
    filter: input.optionalString('filter'),
    viewType: viewType(input, 'view_type'),
    maxResults: input.optionalInt('max_results'),
    orderBy: input.stringList('order_by'),
    pageToken: input.optionalString('page_token'),
  });
  return compact({ experiments: page.items.map(experimentToWire), next_page_token: page.nextPageToken });
}

/** MLflow REST API 2.0 tracking RPCs (mlflow/protos/service.proto), as data. */
export const TRACKING_ENDPOINTS: readonly MlflowEndpoint[] = [
  {
    path: '/experiments/create',
    methods: ['POST'],
    handler: async (t, input) => ({
      experiment_id: await t.experiments.create({
        name: input.string('name'),
        artifactLocation: input.optionalString('artifact_location'),
        tags: input.keyValues('tags'),
      }),
    }),
  },
  {
    path: '/experiments/get',
    methods: ['GET'],
    handler: async (t, input) => ({
      experiment: experimentToWire(await t.experiments.get(input.string('experiment_id'))),
    }),
  },
  {
    path: '/experiments/get-by-name',
    methods: ['GET'],
    handler: async (t, input) => ({
      experiment: experimentToWire(await t.experiments.getByName(input.string('experiment_name'))),
    }),
  },
  { path: '/experiments/search', methods: ['GET', 'POST'], handler: searchExperiments },
  {
    // Removed in MLflow 2.0; older clients (and the npm `mlflow` package) still call it.
    path: '/experiments/list',
    methods: ['GET'],
    handler: async (t, input) => {
      const page = await t.experiments.search({
        viewType: viewType(input, 'view_type'),
        maxResults: input.optionalInt('max_results'),
        pageToken: input.optionalString('page_token'),
      });
      return compact({ experiments: page.items.map(experimentToWire), next_page_token: page.nextPageToken });
    },
  },
  {
    path: '/experiments/delete',
    methods: ['POST'],
    handler: (t, input) => ok(t.experiments.delete(input.string('experiment_id'))),
  },
  {
    path: '/experiments/restore',
    methods: ['POST'],
    handler: (t, input) => ok(t.experiments.restore(input.string('experiment_id'))),
  },
  {
    path: '/experiments/update',
    methods: ['POST'],
    handler: async (t, input) => {
      const id = input.string('experiment_id');
      const newName = input.optionalString('new_name');
      if (newName) await t.experiments.rename(id, newName);
      else await t.experiments.get(id);
      return {};
    },
  },
  {
    path: '/experiments/set-experiment-tag',
    methods: ['POST'],
    handler: async (t, input) => {
      await t.experiments.setTag(
        input.string('experiment_id'),
        input.string('key'),
        input.optionalString('value') ?? '',
      );
      return {};
    },
  },
  {
    path: '/experiments/delete-experiment-tag',
    methods: ['POST'],
    handler: (t, input) => ok(t.experiments.deleteTag(input.string('experiment_id'), input.string('key'))),
  },
  {
    path: '/runs/create',
    methods: ['POST'],
    handler: async (t, input) => {
      const run = await t.runs.create({
        experimentId: input.optionalString('experiment_id'),
        runName: input.optionalString('run_name'),
        userId: input.optionalString('user_id'),
        startTime: input.optionalInt('start_time'),
        tags: input.keyValues('tags'),
      });
      return { run: runToWire(run) };
    },
  },
  {
    path: '/runs/get',
    methods: ['GET'],
    handler: async (t, input) => ({ run: runToWire(await t.runs.get(runId(input))) }),
  },
  {
    path: '/runs/update',
    methods: ['POST'],
    handler: async (t, input) => {
      const info = await t.runs.update(runId(input), {
        status: runStatus(input),
        endTime: input.optionalInt('end_time'),
        runName: input.optionalString('run_name'),
      });
      return { run_info: runInfoToWire(info) };
    },
  },
  {
    path: '/runs/delete',
    methods: ['POST'],
    handler: (t, input) => ok(t.runs.delete(runId(input))),
  },
  {
    path: '/runs/restore',
    methods: ['POST'],
    handler: (t, input) => ok(t.runs.restore(runId(input))),
  },
  {
    path: '/runs/search',
    methods: ['POST', 'GET'],
    handler: async (t, input) => {
      const page = await t.search.search({
        experimentIds: input.stringList('experiment_ids'),
        filter: input.optionalString('filter'),
        viewType: viewType(input, 'run_view_type'),
        maxResults: input.optionalInt('max_results'),
        orderBy: input.stringList('order_by'),
        pageToken: input.optionalString('page_token'),
      });
      return compact({ runs: page.items.map(runToWire), next_page_token: page.nextPageToken });
    },
  },
  {
    path: '/runs/log-metric',
    methods: ['POST'],
    handler: async (t, input) => {
      await t.logger.logMetric(runId(input), {
        key: input.string('key'),
        value: input.number('value'),
        timestamp: input.int('timestamp'),
        step: input.optionalInt('step') ?? 0,
      });
      return {};
    },
  },
  {
    path: '/runs/log-parameter',
    methods: ['POST'],
    handler: async (t, input) => {
      await t.logger.logParam(runId(input), input.string('key'), input.optionalString('value') ?? '');
      return {};
    },
  },
  {
    path: '/runs/set-tag',
    methods: ['POST'],
    handler: async (t, input) => {
      await t.runs.setTag(runId(input), input.string('key'), input.optionalString('value') ?? '');
      return {};
    },
  },
  {
    path: '/runs/delete-tag',
    methods: ['POST'],
    handler: (t, input) => ok(t.runs.deleteTag(runId(input), input.string('key'))),
  },
  {
    path: '/runs/log-batch',
    methods: ['POST'],
    handler: async (t, input) => {
      await t.logger.logBatch(runId(input), {
        metrics: input.list('metrics').map((m) => ({
          key: m.string('key'),
          value: m.number('value'),
          timestamp: m.int('timestamp'),
          step: m.optionalInt('step') ?? 0,
        })),
        params: input.keyValues('params'),
        tags: input.keyValues('tags'),
      });
      return {};
    },
  },
  {
    path: '/runs/log-inputs',
    methods: ['POST'],
    handler: async (t, input) => {
      await t.logger.logInputs(
        input.string('run_id'),
        input.list('datasets').map((d) => {
          const dataset = d.message('dataset');
          return {
            tags: d.keyValues('tags'),
            dataset: {
              name: dataset.string('name'),
              digest: dataset.string('digest'),
              sourceType: dataset.string('source_type'),
              source: dataset.string('source'),
              schema: dataset.optionalString('schema'),
              profile: dataset.optionalString('profile'),
            },
          };
        }),
      );
      return {};
    },
  },
  {
    path: '/runs/log-model',
    methods: ['POST'],
    handler: async (t, input) => {
      const id = runId(input);
      const model = modelJson(input);
      const run = await t.runs.get(id);
      const history = run.data.tags.find((tag) => tag.key === LOG_MODEL_HISTORY);
      await t.runs.setTag(id, LOG_MODEL_HISTORY, JSON.stringify([...loggedModels(history?.value), model]));
      return {};
    },
  },
  {
    path: '/metrics/get-history',
    methods: ['GET'],
    handler: async (t, input) => {
      const page = await t.metrics.history(runId(input), input.string('metric_key'), {
        maxResults: input.optionalInt('max_results'),
        pageToken: input.optionalString('page_token'),
      });
      return compact({
        metrics: page.items.map((m) => metricToWire(m)),
        next_page_token: page.nextPageToken,
      });
    },
  },
  {
    path: '/metrics/get-history-bulk-interval',
    methods: ['GET'],
    handler: async (t, input) => {
      const key = input.string('metric_key');
      const runIds = input.stringList('run_ids');
      if (runIds.length === 0)
        throw invalidArgument('GetMetricHistoryBulkInterval request must specify at least one run_id.');
      if (runIds.length > BULK_INTERVAL_MAX_RUNS)
        throw invalidArgument(
          `GetMetricHistoryBulkInterval request cannot specify more than ${BULK_INTERVAL_MAX_RUNS} run_ids.`,
        );
      const maxResults = input.optionalInt('max_results') ?? BULK_INTERVAL_MAX_RESULTS;
      if (maxResults < 1 || maxResults > BULK_INTERVAL_MAX_RESULTS)
        throw invalidArgument(`max_results must be between 1 and ${BULK_INTERVAL_MAX_RESULTS}.`);
      const startStep = input.optionalInt('start_step');
      const endStep = input.optionalInt('end_step');
      if ((startStep === undefined) !== (endStep === undefined))
        throw invalidArgument('If either start step or end step are specified, both must be specified.');
      const metrics = [];
      for (const id of runIds) {
        const points = await t.metrics.sampled({ runId: id, key, maxPoints: maxResults, startStep, endStep });
        metrics.push(...points.map((m) => metricToWire(m, id)));
      }
      return compact({ metrics });
    },
  },
  {
    path: '/artifacts/list',
    methods: ['GET'],
    handler: async (t, input) => {
      const run = await t.runs.get(runId(input));
      const files = await t.artifacts.list(run.info.runId, input.optionalString('path') ?? '');
      return compact({ root_uri: run.info.artifactUri, files: files.map((f) => fileInfoToWire(f)) });
    },
  },
];
