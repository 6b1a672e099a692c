import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { isOspreyError } from '../../errors/index.js';
import { loadDag } from '../repro.js';
import { type TestProject, testProject } from '../test-support.js';
import {
  type ArgoWorkflow,
  createDnsNamer,
  exportArgoWorkflow,
  exportProjectToArgo,
  formatArgoWorkflow,
} from './index.js';

// Argo's published schema (argoproj/argo-workflows api/jsonschema/schema.json), kept beside the
// checkout in CI as ../shared/specs/.
const SCHEMA = fileURLToPath(new URL('../../../../shared/specs/argo-workflows.schema.json', import.meta.url));
const WORKFLOW = 'argo#/definitions/io.argoproj.workflow.v1alpha1.Workflow';
const DNS_1123 = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Json = { [key: string]: unknown };

// The published schema allows unknown fields; closing every object that lists its properties makes
// a misspelt field (which Argo would drop with a warning) fail the test.
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? closeProps(v) : closeObjects(v);
  if (out.properties !== undefined && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}
const closeProps = (props: unknown) =>
  Object.fromEntries(Object.entries(props as Json).map(([k, v]) => [k, closeObjects(v)]));

function schemaValidator(): ValidateFunction | undefined {
  if (!existsSync(SCHEMA)) {
    if (process.env.CI === 'true')
      throw new Error(`Argo's JSON schema is missing at ${SCHEMA}, and CI requires it`);
    console.warn(`\n*** SKIPPING Argo schema validation: ${SCHEMA} is absent ***\n`);
    return undefined;
  }
  // Kubernetes' formats, not checked here.
  const any = () => true;
  const formats = { 'date-time': any, int32: any, int64: any, byte: any };
  const ajv = new Ajv2020({ strict: false, allErrors: true, formats });
  ajv.addSchema(closeObjects(JSON.parse(readFileSync(SCHEMA, 'utf8'))) as Json, 'argo');
  return ajv.getSchema(WORKFLOW);
}

const PROJECT = {
  'params.yaml': 'prepare:\n  split: 0.2\ntrain:\n  lr: 0.01\n  layers: [8, 4]\n',
  'data/raw.csv': 'x\n1\n',
  'osprey.yaml': `
stages:
  prepare:
    cmd: cp data/raw.csv data/prepared.csv
    deps: [data/raw.csv]
    params: [prepare.split]
    outs: [data/prepared.csv]
  clean:
    foreach: [raw1, Labels_1]
    do:
      cmd: cp data/prepared.csv "\${item}.cln"
      deps: [data/prepared.csv]
      outs: ["\${item}.cln"]
  sweep:
    matrix: {model: [cnn, xgb], feature: [f1]}
    cmd: echo \${item.model} > \${key}.pkl
    deps: [raw1.cln, Labels_1.cln]
    params: [train.lr, train.layers]
    wdir: .
    outs: ["\${key}.pkl"]
  pipeline:
    cmd: cat cnn-f1.pkl xgb-f1.pkl > report.txt
    deps: [cnn-f1.pkl, xgb-f1.pkl]
    outs: [report.txt]
`,
};

/** Every `{{inputs.parameters.x}}` a template uses is declared; every task argument matches an input. */
function checkReferences(wf: ArgoWorkflow) {
  const byName = new Map(wf.spec.templates.map((t) => [t.name, t]));
  const workflowParams = new Set(wf.spec.arguments?.parameters.map((p) => p.name));
  const dag = byName.get(wf.spec.entrypoint)!.dag!;
  const taskNames = new Set(dag.tasks.map((t) => t.name));
  for (const task of dag.tasks) {
    const template = byName.get(task.template)!;
    assert.ok(template.container, task.template);
    const declared = new Set(template.inputs?.parameters.map((p) => p.name));
    assert.deepEqual(new Set(task.arguments?.parameters.map((p) => p.name)), declared);
    for (const used of JSON.stringify(template.container).matchAll(/\{\{inputs\.parameters\.([^}]+)\}\}/g))
      assert.ok(declared.has(used[1]!), `${task.name} uses undeclared ${used[1]}`);
    for (const arg of task.arguments?.parameters ?? []) {
      const wfRef = /^\{\{workflow\.parameters\.(.+)\}\}$/.exec(arg.value!)?.[1];
      const taskRef = /^\{\{tasks\.(.+)\.outputs\.parameters\.outs\}\}$/.exec(arg.value!)?.[1];
      assert.ok(
        wfRef ? workflowParams.has(wfRef) : taskRef && task.dependencies?.includes(taskRef),
        arg.value,
      );
    }
    for (const dep of task.dependencies ?? []) assert.ok(taskNames.has(dep));
  }
}

describe('exportArgoWorkflow', () => {
  let project: TestProject;
  let validate: ValidateFunction | undefined;
  before(async () => {
    project = await testProject(PROJECT);
    validate = schemaValidator();
  });
  after(() => project.dispose());

  const exported = async (options: Parameters<typeof exportArgoWorkflow>[2]) => {
    const { dag } = await loadDag(project.root);
    const workflow = await exportProjectToArgo(project.root, options);
    // What is validated is what the YAML says, not the object in memory.
    const text = formatArgoWorkflow(workflow);
    return { dag, workflow: parse(text) as ArgoWorkflow, text };
  };

  const assertValid = (wf: ArgoWorkflow) => {
    if (validate === undefined) return;
    const ok = validate(wf);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  };

  it('writes one DAG task per stage, with the DAG as dependencies, valid against the schema', async () => {
    const { dag, workflow } = await exported({
      image: 'registry.local/proj:1',
      remote: 's3://bucket/osprey',
    });
    assertValid(workflow);
    checkReferences(workflow);
    if (validate) {
      const misspelt = structuredClone(workflow);
      Object.assign(misspelt.spec.templates[1]!.container!, { workdir: '/x' });
      assert.equal(validate(misspelt), false, 'an unknown field must fail validation');
    }
    const main = workflow.spec.templates.find((t) => t.name === workflow.spec.entrypoint)!;
    assert.equal(main.dag!.tasks.length, dag.order.length);
    const stageOf = new Map(
      workflow.spec.templates
        .filter((t) => t.container)
        .map((t) => [t.name, t.metadata!.annotations['osprey.dev/stage']!]),
    );
    for (const task of main.dag!.tasks) {
      assert.match(task.name, DNS_1123);
      const stage = stageOf.get(task.template)!;
      const want = [...dag.upstream.get(stage)!].sort();
      assert.deepEqual((task.dependencies ?? []).map((d) => stageOf.get(d)).sort(), want, stage);
    }
    // Templated and colliding names are sanitised; each stage is still told apart by its annotation.
    assert.deepEqual([...stageOf.values()].sort(), [
      'clean@Labels_1',
      'clean@raw1',
      'pipeline',
      'prepare',
      'sweep@cnn-f1',
      'sweep@xgb-f1',
    ]);
    assert.equal(workflow.spec.entrypoint, 'pipeline');
    assert.notEqual([...stageOf].find(([, s]) => s === 'pipeline')![0], 'pipeline');
    const sweep = workflow.spec.templates.find(
      (t) => t.metadata?.annotations['osprey.dev/stage'] === 'sweep@cnn-f1',
    )!;
    assert.deepEqual(sweep.container!.command.slice(0, 6), [
      'osprey',
      'pipeline',
      'run-stage',
      'sweep@cnn-f1',
      '--remote',
      's3://bucket/osprey',
    ]);
    assert.equal(sweep.container!.command.filter((c) => c === '--inputs').length, 2);
  });

  it('exports the params stages read as workflow arguments passed to their tasks', async () => {
    const { workflow } = await exported({ image: 'img', remote: '/mnt/remote' });
    assert.deepEqual(
      workflow.spec.arguments!.parameters.map((p) => [p.description, p.value]),
      [
        ['prepare.split in params.yaml', '0.2'],
        ['train.lr in params.yaml', '0.01'],
        ['train.layers in params.yaml', '[8,4]'],
      ],
    );
    for (const p of workflow.spec.arguments!.parameters) assert.match(p.name, DNS_1123);
    const sweep = workflow.spec.templates.find(
      (t) => t.metadata?.annotations['osprey.dev/stage'] === 'sweep@xgb-f1',
    )!;
    assert.deepEqual(
      sweep.container!.env!.map((e) => e.name),
      ['OSPREY_PARAM_TRAIN_LR', 'OSPREY_PARAM_TRAIN_LAYERS'],
    );
  });

  it("runs the stage's own commands in the given image with run 'cmd'", async () => {
    const { workflow } = await exported({ image: 'python:3.12', run: 'cmd', workdir: '/src' });
    assertValid(workflow);
    checkReferences(workflow);
    const clean = workflow.spec.templates.find(
      (t) => t.metadata?.annotations['osprey.dev/stage'] === 'clean@raw1',
    )!;
    assert.deepEqual(clean.container!.command, ['sh', '-ec', 'cp data/prepared.csv "raw1.cln"']);
    assert.equal(clean.container!.workingDir, '/src');
    assert.equal(clean.outputs, undefined);
  });

  it('refuses to export without an image, or without a remote to share data through', async () => {
    const { pipeline, dag } = await loadDag(project.root);
    for (const options of [{ image: ' ', remote: 's3://b' }, { image: 'img' }])
      assert.throws(
        () => exportArgoWorkflow(pipeline, dag, options),
        (e: unknown) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT',
      );
  });
});

describe('createDnsNamer', () => {
  it('gives distinct DNS-1123 labels to names that sanitise alike, and never a reserved one', () => {
    const name = createDnsNamer(['pipeline']);
    const names = [
      'train@a',
      'train-a',
      'Train_A',
      'pipeline',
      '@@@',
      'x'.repeat(100),
      'x'.repeat(100) + 'y',
      'é',
    ];
    const labels = names.map(name);
    assert.equal(new Set(labels).size, names.length);
    for (const label of labels) assert.match(label, DNS_1123);
    assert.equal(labels[1], 'train-a');
    assert.notEqual(labels[3], 'pipeline');
  });
});
