// End to end: `osprey serve` standalone (OIP REST, MLflow /invocations, gRPC, SIGTERM), and `osprey deploy`
// against a real `osprey server` process, on a model logged and registered in a real store.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  grpcClient,
  labelsOf,
  oipBody,
  type RegisteredModels,
  ROWS,
  registeredModels,
} from '../../src/serving/host/test-support/registered-models.js';
import { runCli } from '../support/run-cli.js';

const CLI = join(import.meta.dirname, '../support/osprey-cli.ts');

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns the CLI and resolves once stderr matches `ready` (rejects if the process exits first). */
function spawnCli(args: string[], ready: RegExp): Promise<Started & { match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, OSPREY_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = ready.exec(stderr);
      if (match) resolve({ child, match, exited, stderr: () => stderr });
    });
    void exited.then((code) => reject(new Error(`osprey ${args[2]} exited with ${code}: ${stderr}`)));
  });
}

async function until(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function labels(response: Response): Promise<number[]> {
  assert.equal(response.status, 200);
  const body = (await response.json()) as { outputs: { name: string; data: number[] }[] };
  return body.outputs.find((o) => o.name === 'label')!.data.map(Number);
}

const SPEC = `name: moons
graph:
  name: classifier
  type: model
  model: models:/moons@champion
`;

describe('osprey serve and osprey deploy end to end', () => {
  let world: RegisteredModels;
  let spec: string;
  let bad: string;
  before(async () => {
    world = await registeredModels('moons');
    spec = join(world.home, 'deployment.yaml');
    writeFileSync(spec, SPEC);
    bad = join(world.home, 'bad.yaml');
    writeFileSync(bad, 'name: moons\ngraph:\n  name: classifier\n  type: modle\n');
  });
  after(async () => world?.dispose());

  it('osprey serve serves one deployment over REST, MLflow and gRPC, and drains on SIGTERM', async () => {
    const serve = await spawnCli(
      ['--home', world.home, 'serve', '-f', spec, '--port', '0', '--grpc-port', '0'],
      /listening on (http:\/\/[\d.:]+) \(gRPC [\d.]+:(\d+)\)/,
    );
    try {
      const url = serve.match[1]!;
      await until(async () => (await fetch(`${url}/v2/health/ready`)).status === 200, 'readiness');
      const v1 = labelsOf(world.models['1'], ROWS);
      assert.deepEqual(await labels(await post(`${url}/v2/models/moons/infer`, oipBody(ROWS))), v1);

      const mlflow = await post(`${url}/invocations`, {
        dataframe_split: { columns: ['x1', 'x2'], data: ROWS },
      });
      assert.equal(mlflow.status, 200);
      assert.ok('predictions' in ((await mlflow.json()) as object));

      const client = grpcClient(Number(serve.match[2]));
      try {
        const reply = await client.call('ModelInfer', {
          model_name: 'moons',
          inputs: [
            {
              name: 'input',
              datatype: 'FP32',
              shape: [ROWS.length, 2],
              contents: { fp32_contents: ROWS.flat() },
            },
          ],
        });
        const outputs = reply.outputs as { name: string; contents: { int64_contents: string[] } }[];
        assert.deepEqual(outputs.find((o) => o.name === 'label')!.contents.int64_contents.map(Number), v1);
      } finally {
        client.close();
      }
      assert.match(await (await fetch(`${url}/metrics`)).text(), /osprey_inference_requests_total/);
    } finally {
      serve.child.kill('SIGTERM');
    }
    assert.equal(await serve.exited, 0, serve.stderr());
    assert.match(serve.stderr(), /osprey serve stopped/);
  });

  it('refuses a bad spec with a clear error and a non-zero exit', async () => {
    const served = await runCli([
      '--home',
      world.home,
      'serve',
      '-f',
      bad,
      '--port',
      '0',
      '--grpc-port',
      '0',
    ]);
    assert.equal(served.code, 1);
    assert.match(served.stderr, /graph\.type/);
    const missing = await runCli(['--home', world.home, 'serve', '-f', join(world.home, 'nope.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /deployment spec not found/);
    const applied = await runCli(['--tracking-uri', 'http://127.0.0.1:9', 'deploy', 'apply', '-f', bad]);
    assert.equal(applied.code, 1);
    assert.match(applied.stderr, /graph\.type/);
    const noServer = await runCli(['deploy', 'ls']);
    assert.equal(noServer.code, 2);
    assert.match(noServer.stderr, /--tracking-uri/);
  });

  it('osprey deploy applies, lists and removes deployments on a running osprey server', async () => {
    const server = await spawnCli(
      ['--home', world.home, 'server', '--port', '0'],
      /listening on (http:\/\/[\d.:]+)/,
    );
    try {
      const url = server.match[1]!;
      const cli = (...args: string[]) => runCli(['--tracking-uri', url, ...args]);
      const applied = await cli('deploy', 'apply', '-f', spec);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /moons/);

      const listed = await cli('--json', 'deploy', 'ls');
      assert.equal(listed.code, 0, listed.stderr);
      const [status] = JSON.parse(listed.stdout) as {
        name: string;
        ready: boolean;
        models: { version: string }[];
      }[];
      assert.equal(status?.name, 'moons');
      assert.equal(status?.ready, true);
      assert.equal(status?.models[0]?.version, '1');

      const infer = await post(`${url}/v2/models/moons/infer`, oipBody(ROWS));
      assert.deepEqual(await labels(infer), labelsOf(world.models['1'], ROWS));
      // The tracking API still answers beside the deployments.
      assert.equal((await fetch(`${url}/api/v1/deployments/moons`)).status, 200);
      const mismatch = await fetch(`${url}/api/v1/deployments/other`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'moons',
          graph: { name: 'c', type: 'model', model: 'models:/moons/1' },
        }),
      });
      assert.equal(mismatch.status, 400);

      const removed = await cli('deploy', 'rm', 'moons');
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal((await post(`${url}/v2/models/moons/infer`, oipBody(ROWS))).status, 404);
      const again = await cli('deploy', 'rm', 'moons');
      assert.equal(again.code, 1);
      assert.match(again.stderr, /deployment 'moons' not found \(NOT_FOUND\)/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
