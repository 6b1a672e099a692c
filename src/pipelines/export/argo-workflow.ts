import { basename, posix } from 'node:path';
import { stringify } from 'yaml';
import { invalidArgument } from '../../errors/index.js';
import type { Dag } from '../graph.js';
import { createParamsReader, type ParamValues } from '../params.js';
import { loadDag } from '../repro.js';
import type { Pipeline, Stage } from '../types.js';
import type { ArgoParameter, ArgoTemplate, ArgoWorkflow } from './argo-types.js';
import { createDnsNamer } from './dns-names.js';

/** Options of {@link exportArgoWorkflow}. */
export interface ArgoExportOptions {
  /**
   * 'osprey' (default): each task runs `osprey pipeline run-stage` in an image holding Osprey and
   * the project, sharing deps and outs through `remote`. 'cmd': each task runs the stage's own
   * commands in `image`, and sharing data is up to the commands (a volume, a bucket).
   */
  run?: 'osprey' | 'cmd';
  /** The container image of every task. */
  image: string;
  /** Blob store URI (s3://bucket/prefix) of the Osprey remote; required with run 'osprey'. */
  remote?: string;
  /** The project root inside the image (default /workspace). */
  workdir?: string;
  /** Prefix of the workflow's generated name (default: the project directory's name). */
  name?: string;
  /** Param values each stage reads (stage name → values), exported as workflow arguments. */
  params?: ReadonlyMap<string, ParamValues>;
}

/** Where a task writes the outs it produced, for its dependants' `--inputs`. */
export const OUTS_FILE = '/tmp/osprey/outs.json';
const ENTRYPOINT = 'pipeline';

const paramText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const envName = (key: string) => `OSPREY_PARAM_${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

/** Workflow parameters for every (params file, key) a stage reads, named DNS-style. */
function workflowParams(stages: readonly Stage[], params: ReadonlyMap<string, ParamValues>) {
  const nameOf = createDnsNamer();
  const names = new Map<string, string>();
  const args: ArgoParameter[] = [];
  for (const stage of stages) {
    for (const [file, values] of Object.entries(params.get(stage.name) ?? {})) {
      for (const [key, value] of Object.entries(values)) {
        const id = `${file}\0${key}`;
        if (names.has(id)) continue;
        const name = nameOf(file === 'params.yaml' ? key : `${file}-${key}`);
        names.set(id, name);
        args.push({ name, value: paramText(value), description: `${key} in ${file}` });
      }
    }
  }
  return { args, nameOf: (file: string, key: string) => names.get(`${file}\0${key}`)! };
}

/**
 * The Argo Workflow running `pipeline`: one DAG task per stage, with `dependencies` from `dag`,
 * each a container template. Stage params become workflow arguments (override them with
 * `argo submit -p name=value`), passed to the tasks as `OSPREY_PARAM_<KEY>` variables. With run
 * 'osprey', a task's outs (paths and digests) are an output parameter its dependants receive as
 * `--inputs`, and the bytes travel through the Osprey remote.
 */
export function exportArgoWorkflow(pipeline: Pipeline, dag: Dag, options: ArgoExportOptions): ArgoWorkflow {
  const run = options.run ?? 'osprey';
  if (options.image.trim() === '') throw invalidArgument('an image is required to export to Argo');
  if (run === 'osprey' && !options.remote)
    throw invalidArgument(
      'tasks share data through an Osprey remote: give its URI (e.g. s3://bucket/osprey)',
    );
  const workdir = options.workdir ?? '/workspace';
  const taskName = createDnsNamer([ENTRYPOINT]);
  const names = new Map(dag.order.map((s) => [s.name, taskName(s.name)]));
  const { args, nameOf } = workflowParams(dag.order, options.params ?? new Map());

  const plans = dag.order.map((stage) => ({
    stage,
    name: names.get(stage.name)!,
    ups: [...dag.upstream.get(stage.name)!].map((u) => names.get(u)!),
    params: Object.entries(options.params?.get(stage.name) ?? {}).flatMap(([file, values]) =>
      Object.keys(values).map((key) => ({ key, name: nameOf(file, key) })),
    ),
  }));
  const sharing = run === 'osprey';

  const templates = plans.map(({ stage, name, ups, params }): ArgoTemplate => {
    const inputs = [
      ...params.map((p) => ({ name: p.name })),
      ...(sharing ? ups.map((u) => ({ name: `outs-${u}` })) : []),
    ];
    const command = sharing
      ? [
          'osprey',
          'pipeline',
          'run-stage',
          stage.name,
          '--remote',
          options.remote!,
          ...ups.flatMap((u) => ['--inputs', `{{inputs.parameters.outs-${u}}}`]),
          '--result',
          OUTS_FILE,
        ]
      : ['sh', '-ec', stage.cmd.join('\n')];
    const env = params.map((p) => ({ name: envName(p.key), value: `{{inputs.parameters.${p.name}}}` }));
    return {
      name,
      metadata: { annotations: { 'osprey.dev/stage': stage.name } },
      ...(inputs.length > 0 ? { inputs: { parameters: inputs } } : {}),
      ...(sharing ? { outputs: { parameters: [{ name: 'outs', valueFrom: { path: OUTS_FILE } }] } } : {}),
      container: {
        image: options.image,
        command,
        workingDir: sharing ? workdir : posix.join(workdir, stage.wdir),
        ...(env.length > 0 ? { env } : {}),
      },
    };
  });

  const tasks = plans.map(({ name, ups, params }) => {
    const parameters = [
      ...params.map((p) => ({ name: p.name, value: `{{workflow.parameters.${p.name}}}` })),
      ...(sharing
        ? ups.map((u) => ({ name: `outs-${u}`, value: `{{tasks.${u}.outputs.parameters.outs}}` }))
        : []),
    ];
    return {
      name,
      template: name,
      ...(ups.length > 0 ? { dependencies: ups } : {}),
      ...(parameters.length > 0 ? { arguments: { parameters } } : {}),
    };
  });

  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `${createDnsNamer()(options.name ?? basename(pipeline.root)).slice(0, 56)}-`,
      annotations: { 'osprey.dev/pipeline': posix.basename(pipeline.file) },
    },
    spec: {
      entrypoint: ENTRYPOINT,
      ...(args.length > 0 ? { arguments: { parameters: args } } : {}),
      templates: [{ name: ENTRYPOINT, dag: { tasks } }, ...templates],
    },
  };
}

/** The workflow as YAML, headed by a comment on how the tasks share data. */
export function formatArgoWorkflow(workflow: ArgoWorkflow): string {
  const header = [
    '# Argo Workflow exported by `osprey pipeline export --target argo`.',
    '# Each task runs one stage. Run by `osprey pipeline run-stage`, a task fetches the outs of its',
    '# upstream stages from the Osprey remote (their digests come in as parameters), runs the stage',
    '# and pushes its own outs; the stage commands alone (run: cmd) must share data themselves.',
  ];
  return `${header.join('\n')}\n${stringify(workflow, { lineWidth: 0 })}`;
}

/** Loads the project at `root` (DAG checked, params read) and exports it with {@link exportArgoWorkflow}. */
export async function exportProjectToArgo(
  root: string,
  options: Omit<ArgoExportOptions, 'params'>,
): Promise<ArgoWorkflow> {
  const { pipeline, dag } = await loadDag(root);
  const read = createParamsReader(root);
  const params = new Map<string, ParamValues>();
  for (const stage of dag.order) params.set(stage.name, await read(stage));
  return exportArgoWorkflow(pipeline, dag, { ...options, params });
}
