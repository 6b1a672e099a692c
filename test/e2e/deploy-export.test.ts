import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { parseDeploymentSpec } from '../../src/serving/deployment/index.js';
import { runCli } from '../support/run-cli.js';

/** Runs `osprey deploy export …` through the real CLI, in-process. */
const deployExport = (args: string[]) => runCli(['deploy', 'export', ...args]);

const SPEC = `name: fraud
version: "2"
graph:
  name: pre
  type: transformer
  module: ./pre.js
  children:
    - name: scorer
      type: model
      model: models:/fraud@champion
      workers: 2
`;

describe('osprey deploy export (CLI)', () => {
  let dir: string;
  let specFile: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'osprey-deploy-export-'));
    specFile = join(dir, 'deployment.yaml');
    writeFileSync(specFile, SPEC);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints k8s manifests as one YAML stream, the spec kept as written', async () => {
    const result = await deployExport(['-f', specFile, '--target', 'k8s', '--image', 'osprey:9.9.9']);
    assert.equal(result.code, 0, result.stderr);
    const docs = parseAllDocuments(result.stdout).map((d) => d.toJS() as Record<string, unknown>);
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ConfigMap', 'Deployment', 'Service', 'HorizontalPodAutoscaler'],
    );
    const data = (docs[0] as { data: Record<string, string> }).data;
    // Parsed, not loaded: the relative module path is not rewritten to this machine's directory.
    assert.deepEqual(parseDeploymentSpec(data['deployment.yaml']!), parseDeploymentSpec(SPEC));
    assert.match(result.stdout, /image: osprey:9\.9\.9/);
    assert.match(result.stdout, /cpu: "2"/);
    assert.match(result.stderr, /warning: pre: \.\/pre\.js is a local path; the image must contain it/);
  });

  it('writes one file per object with --out, the same YAML as stdout', async () => {
    const out = join(dir, 'manifests');
    const args = ['-f', specFile, '--target', 'kserve', '-n', 'ml', '--min-replicas', '2'];
    const written = await deployExport([...args, '--out', out]);
    assert.equal(written.code, 0, written.stderr);
    const files = readdirSync(out).sort();
    assert.deepEqual(files, [
      '01-configmap-fraud-spec.yaml',
      '02-servingruntime-fraud-osprey.yaml',
      '03-inferenceservice-fraud.yaml',
    ]);
    assert.deepEqual(
      written.stdout.split('\n'),
      files.map((f) => join(out, f)),
    );
    const printed = await deployExport(args);
    assert.equal(files.map((f) => readFileSync(join(out, f), 'utf8')).join('---\n'), `${printed.stdout}\n`);
    assert.match(printed.stdout, /minReplicas: 2/);
    assert.match(printed.stdout, /namespace: ml/);
  });

  it('an unknown target, a bad flag or an invalid spec fail with a clear message and exit 1', async () => {
    const target = await deployExport(['-f', specFile, '--target', 'swarm']);
    assert.equal(target.code, 1);
    assert.match(target.stderr, /unknown target 'swarm' \(targets: k8s, kserve\) \(INVALID_ARGUMENT\)/);
    assert.equal(target.stdout, '');

    const replicas = await deployExport(['-f', specFile, '--target', 'k8s', '--max-replicas', 'many']);
    assert.equal(replicas.code, 1);
    assert.match(replicas.stderr, /--max-replicas must be a whole number, got 'many'/);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: fraud\ngraph: { name: m, type: model }\n');
    const invalid = await deployExport(['-f', bad, '--target', 'k8s']);
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.stderr,
      /graph\.model: a model node needs model: <URI or path> \(INVALID_ARGUMENT\)/,
    );

    const missing = await deployExport(['-f', join(dir, 'nope.yaml'), '--target', 'k8s']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /deployment spec not found: .*nope\.yaml \(NOT_FOUND\)/);
  });

  it('a missing --target is a usage error (exit 2)', async () => {
    const result = await deployExport(['-f', specFile]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /required option '--target <target>' not specified/);
  });
});
