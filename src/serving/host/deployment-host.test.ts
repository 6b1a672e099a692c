import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createEmbeddedClient } from '../../client/index.js';
import { validateDeploymentSpec } from '../deployment/index.js';
import { createNodeFactory, type NodeComponent, type NodeFactory } from '../graph/index.js';
import { type RunningGrpcServer, startGrpcServer } from '../protocol/index.js';
import { createDeploymentHost, type DeploymentHost, hostRoutes } from './index.js';
import {
  grpcClient,
  labelsOf,
  oipBody,
  type RegisteredModels,
  ROWS,
  registeredModels,
} from './test-support/registered-models.js';

const ERRORS_MODULE = new URL('../../errors/index.ts', import.meta.url).href;

/** Polls `check` until it returns true, failing after `ms`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('deployment host over real ONNX models from the registry', () => {
  let world: RegisteredModels;
  let host: DeploymentHost;
  let app: FastifyInstance;
  let url: string;
  let grpcServer: RunningGrpcServer;
  let tick: () => void = () => assert.fail('the host did not start watching aliases');
  let gate: () => void = () => undefined;
  let gated: Promise<void> = Promise.resolve();
  const loaded: NodeComponent[] = [];
  const metrics = new Registry();

  before(async () => {
    world = await registeredModels('moons');
    const client = createEmbeddedClient(world.osprey);
    const real = createNodeFactory({
      fetch: {
        cacheDir: join(world.home, 'cache'),
        tracking: client,
        resolveModel: (uri) => client.resolveModel(uri),
      },
    });
    // The real factory, held at a gate so a test can watch the host while a graph is loading.
    const factory: NodeFactory = {
      async load(node, context) {
        await gated;
        const component = await real.load(node, context);
        loaded.push(component);
        return component;
      },
    };
    host = createDeploymentHost({
      factory,
      resolveVersion: (uri) => world.osprey.registry.resolve(uri),
      metrics,
      watchIntervalMs: 1000,
      every: (_ms, fn) => {
        tick = fn;
        return () => undefined;
      },
    });
    app = Fastify();
    await app.register(hostRoutes(host, { metrics }));
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    grpcServer = await startGrpcServer(host);
  });
  after(async () => {
    await app?.close();
    await grpcServer?.close();
    await host?.close();
    await world?.dispose();
  });

  const infer = (name: string, rows: readonly (readonly number[])[] = ROWS) =>
    fetch(`${url}/v2/models/${name}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(oipBody(rows)),
    });
  const labels = async (response: Response) => {
    const body = (await response.json()) as { outputs: { name: string; data: number[] }[] };
    return body.outputs.find((o) => o.name === 'label')!.data.map(Number);
  };
  const moonsSpec = validateDeploymentSpec({
    name: 'moons',
    graph: { name: 'classifier', type: 'model', model: 'models:/moons@champion' },
  });

  it('answers 503 while the graph loads, then serves version 1', async () => {
    gated = new Promise((resolve) => {
      gate = resolve;
    });
    const applying = host.apply(moonsSpec);
    await until(() => host.list().length === 1, 'the deployment to be registered');
    assert.equal((await fetch(`${url}/v2/health/ready`)).status, 503);
    assert.equal((await fetch(`${url}/v2/models/moons/ready`)).status, 503);
    const early = await infer('moons');
    assert.equal(early.status, 503);
    assert.match(((await early.json()) as { error: string }).error, /not ready/);
    assert.equal(host.status('moons').state, 'loading');

    gate();
    const status = await applying;
    assert.equal(status.state, 'ready');
    assert.deepEqual(status.models, [{ node: 'classifier', uri: 'models:/moons@champion', version: '1' }]);
    assert.equal((await fetch(`${url}/v2/health/ready`)).status, 200);
    const ok = await infer('moons');
    assert.equal(ok.status, 200);
    assert.deepEqual(await labels(ok), labelsOf(world.models['1'], ROWS));
    assert.notDeepEqual(labelsOf(world.models['1'], ROWS), labelsOf(world.models['2'], ROWS));
  });

  it('serves the same deployment over gRPC', async () => {
    const client = grpcClient(grpcServer.port);
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
      const label = outputs.find((o) => o.name === 'label')!;
      assert.deepEqual(label.contents.int64_contents.map(Number), labelsOf(world.models['1'], ROWS));
    } finally {
      client.close();
    }
  });

  it('swaps to the new @champion under concurrent load with zero failed requests', async () => {
    const v1 = labelsOf(world.models['1'], ROWS);
    const v2 = labelsOf(world.models['2'], ROWS);
    const before = loaded.length;
    const failures: string[] = [];
    const seen = { v1: 0, v2: 0, total: 0 };
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const response = await infer('moons').catch((e: Error) => e);
        if (response instanceof Error || response.status !== 200) {
          failures.push(
            response instanceof Error ? response.message : `${response.status} ${await response.text()}`,
          );
          continue;
        }
        const got = await labels(response);
        seen.total += 1;
        if (JSON.stringify(got) === JSON.stringify(v2)) seen.v2 += 1;
        else if (JSON.stringify(got) === JSON.stringify(v1)) seen.v1 += 1;
        else failures.push(`unexpected labels ${got}`);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await until(() => seen.v1 >= 50, 'requests served by version 1');
    await world.osprey.registry.models.setAlias('moons', 'champion', '2');
    tick();
    await until(() => seen.v2 >= 50, 'requests served by version 2');
    stop = true;
    await Promise.all(workers);

    assert.deepEqual(failures, []);
    const status = host.status('moons');
    assert.equal(status.generation, 2);
    assert.deepEqual(
      status.models.map((m) => m.version),
      ['2'],
    );
    assert.equal(loaded.length, before + 1, 'exactly one new graph was loaded');
    // The version-1 predictor is unloaded once its last request has drained.
    await until(() => loaded[before - 1]!.ready?.() === false, 'version 1 to be unloaded');
    assert.equal(loaded[before]!.ready?.(), true);
    const metricsText = await metrics.metrics();
    assert.match(
      metricsText,
      /osprey_inference_requests_total\{[^}]*deployment="moons"[^}]*outcome="success"/,
    );
    assert.doesNotMatch(metricsText, /outcome="failure"/);
  });

  it('fails only the request a node rejects, with a clear code', async () => {
    const module = join(world.home, 'guard.mjs');
    await writeFile(
      module,
      `import { invalidArgument } from '${ERRORS_MODULE}';
export default {
  transformInput(inputs) {
    if (inputs.input.data.some((v) => Math.abs(v) > 100)) throw invalidArgument('feature out of range: |x| > 100');
    return inputs;
  },
};
`,
    );
    await host.apply(
      validateDeploymentSpec({
        name: 'guarded',
        graph: {
          name: 'guard',
          type: 'transformer',
          module,
          children: [{ name: 'classifier', type: 'model', model: 'models:/moons/1' }],
        },
      }),
    );
    const [bad, good] = await Promise.all([infer('guarded', [[1000, 0]]), infer('guarded')]);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /feature out of range/);
    assert.equal(good.status, 200);
    assert.deepEqual(await labels(good), labelsOf(world.models['1'], ROWS));
    assert.equal((await infer('guarded')).status, 200, 'the deployment keeps serving');
  });

  it('keeps the old graph serving when a replacement fails to load, and forgets removed deployments', async () => {
    const broken = validateDeploymentSpec({
      name: 'guarded',
      graph: { name: 'classifier', type: 'model', model: 'models:/moons@nonexistent' },
    });
    await assert.rejects(host.apply(broken), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
    assert.equal((await infer('guarded')).status, 200);
    assert.equal(host.status('guarded').generation, 1);

    await host.remove('guarded');
    const gone = await infer('guarded');
    assert.equal(gone.status, 404);
    await assert.rejects(host.remove('guarded'), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
    assert.deepEqual(
      host.list().map((s) => s.name),
      ['moons'],
    );
  });
});
