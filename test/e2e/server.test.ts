// End to end: a real `osprey server` process, the SDK over HTTP, and the CLI pointed at the server.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { createHttpClient, startRun } from '../../src/client/index.js';
import { runCli } from '../support/run-cli.js';

const CLI = join(import.meta.dirname, '../support/osprey-cli.ts');

/** Starts `osprey server` on a free port and resolves to its URL once it listens. */
function startServer(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--home', home, 'server', '--port', '0'], {
    env: { ...process.env, OSPREY_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(stderr);
      if (match) resolve({ url: match[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
}

describe('osprey server end to end', () => {
  let home: string;
  let server: { url: string; child: ChildProcess };
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'osprey-e2e-'));
    server = await startServer(home);
  });
  after(() => {
    server?.child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  });

  it('serves health, metrics and the OpenAPI document', async () => {
    assert.equal(await (await fetch(`${server.url}/health`)).text(), 'OK');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /osprey_http_requests_total/);
    const openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    assert.ok(openapi.paths['/api/v1/runs/search'], 'the native API is documented');
  });

  it('tracks a run through the SDK over HTTP and reads it back with the CLI', async () => {
    const client = createHttpClient(server.url);
    const run = await startRun(client, {
      experimentName: 'e2e',
      params: { depth: 3 },
      flushIntervalMs: 20,
      endOnExit: false,
    });
    for (let step = 0; step < 2500; step++) run.logMetric('loss', 1 / (step + 1), { step });
    run.logMetric('nan-metric', Number.NaN);
    const dir = join(home, 'model');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'MLmodel'), 'flavors: {}\n');
    writeFileSync(join(dir, 'data', 'weights.bin'), Buffer.alloc(2 * 1024 * 1024, 3));
    await run.logArtifact(dir);
    await run.end();

    const loaded = await client.getRun(run.runId);
    assert.equal(loaded.info.status, 'FINISHED');
    assert.ok(
      loaded.data.tags.some((t) => t.key === 'mlflow.source.git.commit'),
      'git commit recorded',
    );
    assert.equal(loaded.data.metrics.find((m) => m.key === 'loss')?.step, 2499);
    assert.ok(Number.isNaN(loaded.data.metrics.find((m) => m.key === 'nan-metric')?.value ?? 0));
    assert.equal((await client.getMetricHistory(run.runId, 'loss')).length, 2500);
    const weights = await client.downloadArtifact(run.runId, 'model/data/weights.bin');
    assert.equal((await text(weights)).length, 2 * 1024 * 1024);

    const show = await runCli(['--tracking-uri', server.url, '--json', 'runs', 'show', run.runId]);
    assert.equal(show.code, 0, show.stderr);
    assert.equal((JSON.parse(show.stdout) as { info: { runId: string } }).info.runId, run.runId);
    const dest = join(home, 'download');
    const get = await runCli([
      '--tracking-uri',
      server.url,
      'artifacts',
      'get',
      run.runId,
      'model',
      '-o',
      dest,
    ]);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(readFileSync(join(dest, 'MLmodel'), 'utf8'), 'flavors: {}\n');
  });

  it('answers MLflow clients on the same port', async () => {
    const response = await fetch(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=e2e`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { experiment: { name: string; lifecycle_stage: string } };
    assert.equal(body.experiment.name, 'e2e');
    const missing = await fetch(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error_code: string }).error_code, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('SDK flushes on process exit', () => {
  it('sends queued metrics and ends the run when a script exits without end()', async () => {
    const home = mkdtempSync(join(tmpdir(), 'osprey-exit-'));
    const script = join(home, 'train.mts');
    const client = join(import.meta.dirname, '../../src/client/index.ts');
    writeFileSync(
      script,
      `import { connect, startRun } from ${JSON.stringify(client)};
       const run = await startRun(await connect({ home: ${JSON.stringify(home)}, env: {} }), { flushIntervalMs: 60000, recordSource: false });
       for (let i = 0; i < 1500; i++) run.logMetric('m', i, { step: i });
       console.log(run.runId);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const runId = (await text(child.stdout!)).trim();
    await new Promise((resolve) => child.once('exit', resolve));
    const { connect } = await import('../../src/client/index.js');
    const reader = await connect({ home, env: {} });
    const run = await reader.getRun(runId);
    assert.equal(run.info.status, 'FINISHED');
    assert.equal((await reader.getMetricHistory(runId, 'm')).length, 1500);
    await reader.close();
    rmSync(home, { recursive: true, force: true });
  });
});
