import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isOspreyError } from '../errors/index.js';
import { loadPipeline } from './load.js';
import { createParamsReader } from './params.js';

const roots: string[] = [];
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'osprey-pipeline-load-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
const load = (yaml: string, files: Record<string, string> = {}) =>
  loadPipeline(project({ 'osprey.yaml': yaml, ...files }));

async function rejects(yaml: string, message: RegExp, files: Record<string, string> = {}) {
  await assert.rejects(load(yaml, files), (e: unknown) => {
    assert.ok(isOspreyError(e) && e.code === 'INVALID_ARGUMENT', String(e));
    assert.match(e.message, message);
    return true;
  });
}

describe('loadPipeline', () => {
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('resolves wdir, deps, outs, metrics and plots to root-relative paths', async () => {
    const { stages } = await load(`
stages:
  train:
    wdir: src
    cmd: [python train.py, python eval.py]
    deps: [train.py, ../data/]
    params: [lr, {../conf/model.yaml: [layers]}, {../conf/all.yaml: null}]
    outs: [../models/m.bin, {../cache-free: {cache: false}}]
    metrics: [{../eval/metrics.json: {cache: false}}]
    plots: [{../eval/roc.json: {x: fpr, y: tpr}}]
`);
    assert.deepEqual(stages, [
      {
        name: 'train',
        cmd: ['python train.py', 'python eval.py'],
        wdir: 'src',
        deps: ['src/train.py', 'data'],
        params: [
          { file: 'src/params.yaml', keys: ['lr'] },
          { file: 'conf/model.yaml', keys: ['layers'] },
          { file: 'conf/all.yaml', keys: [] },
        ],
        outs: [
          { path: 'models/m.bin', kind: 'out', cache: true },
          { path: 'cache-free', kind: 'out', cache: false },
          { path: 'eval/metrics.json', kind: 'metric', cache: false },
          { path: 'eval/roc.json', kind: 'plot', cache: true },
        ],
        alwaysChanged: false,
        frozen: false,
      },
    ]);
  });

  it('expands foreach over a list, a list of maps, a map and a var; matrix as a product', async () => {
    const { stages } = await load(
      `
vars: [{codedir: src}, extra.yaml]
stages:
  clean:
    foreach: [raw1, labels1]
    do: {cmd: 'clean.py "\${item}" \${codedir}', outs: ['\${item}.cln']}
  fit:
    foreach: [{m: a, n: 1}, {m: b, n: 2}]
    do: {cmd: 'fit \${item.m} \${item.n}'}
  build:
    foreach: {uk: {rate: 1}, us: {rate: 2}}
    do: {cmd: 'build \${key} \${item.rate}', outs: ['out/\${key}']}
  per:
    foreach: \${regions}
    do: {cmd: 'echo \${item} \${threshold}'}
  sweep:
    matrix: {model: [cnn, xgb], feature: [f1, f2]}
    cmd: 'train --feature \${item.feature} \${item.model} > \${key}.log'
    outs: ['\${key}.pkl']
`,
      { 'params.yaml': 'threshold: 0.5\n', 'extra.yaml': 'regions: [north, south]\n' },
    );
    const summary = stages.map((s) => [s.name, s.group, s.cmd[0], s.outs.map((o) => o.path)]);
    assert.deepEqual(summary, [
      ['clean@raw1', 'clean', 'clean.py "raw1" src', ['raw1.cln']],
      ['clean@labels1', 'clean', 'clean.py "labels1" src', ['labels1.cln']],
      ['fit@0', 'fit', 'fit a 1', []],
      ['fit@1', 'fit', 'fit b 2', []],
      ['build@uk', 'build', 'build uk 1', ['out/uk']],
      ['build@us', 'build', 'build us 2', ['out/us']],
      ['per@north', 'per', 'echo north 0.5', []],
      ['per@south', 'per', 'echo south 0.5', []],
      ['sweep@cnn-f1', 'sweep', 'train --feature f1 cnn > cnn-f1.log', ['cnn-f1.pkl']],
      ['sweep@cnn-f2', 'sweep', 'train --feature f2 cnn > cnn-f2.log', ['cnn-f2.pkl']],
      ['sweep@xgb-f1', 'sweep', 'train --feature f1 xgb > xgb-f1.log', ['xgb-f1.pkl']],
      ['sweep@xgb-f2', 'sweep', 'train --feature f2 xgb > xgb-f2.log', ['xgb-f2.pkl']],
    ]);
  });

  it(`keeps \\\${…} literal`, async () => {
    const { stages } = await load(`stages:\n  a:\n    cmd: echo \\\${HOME}\n`);
    assert.equal(stages[0]!.cmd[0], `echo \${HOME}`);
  });

  it('names the file, the stage and the field of a malformed definition', async () => {
    await rejects(
      'stages:\n  train:\n    cmd: 3\n',
      /^osprey\.yaml: stage 'train', cmd: must be a command or a list/,
    );
    await rejects(
      'stages:\n  train:\n    cmd: x\n    outs: [a, {b: {cache: "no"}}]\n',
      /^osprey\.yaml: stage 'train', outs\[1\]/,
    );
    await rejects(
      'stages:\n  train:\n    cmd: x\n    dep: [a]\n',
      /stage 'train'.*[Uu]nrecognized key.*"dep"/,
    );
    await rejects('stages:\n  a@b:\n    cmd: x\n', /stage 'a@b': stage names .*no @/);
    await rejects(
      'stages:\n  t:\n    cmd: x\n    outs: [../outside]\n',
      /stage 't', outs\[0\]: \.\.\/outside is outside the project/,
    );
    await rejects(
      'stages:\n  t:\n    cmd: x\n    deps: [/etc/passwd]\n',
      /deps\[0\]: \/etc\/passwd is absolute/,
    );
    await rejects(`stages:\n  t:\n    cmd: echo \${nope}\n`, /stage 't', cmd: unknown variable \$\{nope\}/);
    await rejects(
      `stages:\n  t:\n    foreach: [a]\n    do: {cmd: "x \${item.y}"}\n`,
      /stage 't@a', do\.cmd: unknown variable \$\{item\.y\}/,
    );
    await rejects('stages:\n  t:\n    foreach: 3\n    do: {cmd: x}\n', /stage 't', foreach: must be a list/);
    await rejects(
      'stages:\n  t:\n    matrix: {a: []}\n    cmd: x\n',
      /stage 't', matrix\.a: must be a non-empty list/,
    );
    await rejects('stages:\n  t:\n    cmd: [x\n', /^osprey\.yaml: is not valid YAML/);
    await rejects('stagez: {}\n', /^osprey\.yaml: .*stages/);
    await rejects('stages:\n  t:\n    foreach: [a, a]\n    do: {cmd: x}\n', /stage 't@a': is defined twice/);
  });
});

describe('params', () => {
  it('reads dotted keys, whole files and subtrees; names a missing key', async () => {
    const pipeline = await load(
      `
stages:
  t:
    cmd: x
    params: [train.lr, train.layers, {other.yaml: null}]
  bad:
    cmd: x
    params: [train.momentum]
`,
      { 'params.yaml': 'train: {lr: 0.1, layers: [8, 4]}\n', 'other.yaml': 'b: 2\na: {x: 1}\n' },
    );
    const read = createParamsReader(pipeline.root);
    assert.deepEqual(await read(pipeline.stages[0]!), {
      'params.yaml': { 'train.layers': [8, 4], 'train.lr': 0.1 },
      'other.yaml': { a: { x: 1 }, b: 2 },
    });
    await assert.rejects(
      read(pipeline.stages[1]!),
      /stage 'bad', params: train\.momentum is not in params\.yaml/,
    );
  });
});
