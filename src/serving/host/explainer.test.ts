import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createEmbeddedClient } from '../../client/index.js';
import { validateDeploymentSpec } from '../deployment/index.js';
import { createNodeFactory } from '../graph/index.js';
import { createPayloadLogger, EVENT_TYPES, type PayloadLogger } from '../logging/index.js';
import { memorySink } from '../logging/test-support/endpoints.js';
import { createDeploymentHost, type DeploymentHost, hostRoutes } from './index.js';
import { oipBody, type RegisteredModels, ROWS, registeredModels } from './test-support/registered-models.js';

interface Explained {
  model_name: string;
  id: string;
  explanations: { base_values: number[]; values: number[][][]; feature_names: string[]; output: string };
}

describe('explainers on deployments, against a real ONNX model', () => {
  let world: RegisteredModels;
  let host: DeploymentHost;
  let app: FastifyInstance;
  let url: string;
  let logger: PayloadLogger;
  const sink = memorySink();
  let background: string;

  before(async () => {
    world = await registeredModels('moons');
    const client = createEmbeddedClient(world.osprey);
    logger = createPayloadLogger({ sink, flushIntervalMs: 10 });
    host = createDeploymentHost({
      factory: createNodeFactory({
        fetch: {
          cacheDir: join(world.home, 'cache'),
          tracking: client,
          resolveModel: (uri) => client.resolveModel(uri),
        },
      }),
      resolveVersion: (uri) => world.osprey.registry.resolve(uri),
      payloadLogger: () => logger,
      watchIntervalMs: 0,
    });
    background = join(world.home, 'background.csv');
    // Both moons, so the base value sits between the classes.
    await writeFile(background, 'x1,x2\n-1,0.5\n0,1\n1,0\n2,0.5\n0.5,-0.25\n');
    await host.apply(
      validateDeploymentSpec({
        name: 'explained',
        graph: { name: 'classifier', type: 'model', model: 'models:/moons/1' },
        explainer: { background },
        payloadLogging: { enabled: true },
      }),
    );
    await host.apply(
      validateDeploymentSpec({
        name: 'plain',
        graph: { name: 'classifier', type: 'model', model: 'models:/moons/1' },
      }),
    );
    app = Fastify();
    await app.register(hostRoutes(host, { adapters: ['kserve-v1'] }));
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app?.close();
    await host?.close();
    await logger?.close();
    await world?.dispose();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** The live model's output for ROWS, from /infer. */
  async function inferred(): Promise<{ name: string; shape: number[]; data: number[] }[]> {
    const response = await post('/v2/models/explained/infer', oipBody(ROWS));
    assert.equal(response.status, 200);
    return ((await response.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] })
      .outputs;
  }

  /** base + Σφ equals the live model's output for every row and output column (exact with 2 features). */
  async function assertAdditive(explained: Explained) {
    const { base_values, values, feature_names, output } = explained.explanations;
    assert.deepEqual(feature_names, ['x1', 'x2']);
    const tensor = (await inferred()).find((o) => o.name === output);
    assert.ok(tensor, `the model answers output '${output}'`);
    const width = tensor.shape[1] ?? 1;
    assert.equal(values.length, width);
    values.forEach((rows, k) => {
      assert.equal(rows.length, ROWS.length);
      rows.forEach((phi, i) => {
        const total = phi.reduce((a, b) => a + b, base_values[k]!);
        assert.ok(Math.abs(total - tensor.data[i * width + k]!) < 1e-6, `row ${i}, output ${k}: ${total}`);
      });
    });
    // x1 moves the moons model: its attributions are not all zero.
    assert.ok(values[0]!.some((phi) => Math.abs(phi[0]!) > 1e-3));
  }

  it('answers /v2/models/{m}/explain with additive SHAP values of the live model, logged with the request id', async () => {
    const response = await post('/v2/models/explained/explain', { id: 'audit-1', ...oipBody(ROWS) });
    assert.equal(response.status, 200);
    const explained = (await response.json()) as Explained;
    assert.equal(explained.model_name, 'explained');
    assert.equal(explained.id, 'audit-1');
    await assertAdditive(explained);

    await logger.flush();
    const events = sink.events().filter((e) => e.type === EVENT_TYPES.explanation);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.requestid, 'audit-1');
    assert.deepEqual(events[0]!.data, explained as unknown);
    // The coalition batches KernelSHAP sent through the deployment are not logged as client requests.
    const requests = sink.events().filter((e) => e.type === EVENT_TYPES.request);
    assert.ok(requests.every((e) => !String(e.requestid).startsWith('audit-1/')));
  });

  it('answers KServe V1 /v1/models/{m}:explain with instances, beside :predict', async () => {
    const response = await post(
      '/v1/models/explained:explain',
      { instances: ROWS },
      { 'x-request-id': 'v1-1' },
    );
    assert.equal(response.status, 200);
    const explained = (await response.json()) as Explained;
    assert.equal(explained.id, 'v1-1');
    await assertAdditive(explained);
    assert.equal((await post('/v1/models/explained:predict', { instances: ROWS })).status, 200);
  });

  it('answers 404 with a code when the deployment has no explainer or does not exist', async () => {
    for (const name of ['plain', 'missing']) {
      const response = await post(`/v2/models/${name}/explain`, oipBody(ROWS));
      assert.equal(response.status, 404);
      const body = (await response.json()) as { error: string; code: string };
      assert.equal(body.code, 'NOT_FOUND');
      assert.match(body.error, name === 'plain' ? /has no explainer/ : /not found/);
    }
  });

  it('answers 400 for a bad body', async () => {
    const cases: [string, unknown][] = [
      ['/v2/models/explained/explain', '{not json'],
      ['/v2/models/explained/explain', { inputs: [] }],
      [
        '/v2/models/explained/explain',
        { inputs: [{ name: 'input', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] },
      ],
      ['/v1/models/explained:explain', { rows: ROWS }],
      ['/v1/models/explained:explain', { instances: [['a', 'b']] }],
    ];
    for (const [path, body] of cases) {
      const response = await post(path, body);
      assert.equal(response.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(((await response.json()) as { code: string }).code, 'INVALID_ARGUMENT');
    }
  });

  it('rejects a bad explainer spec with a clear error', async () => {
    const spec = (explainer: unknown) => ({
      name: 'bad',
      graph: { name: 'classifier', type: 'model', model: 'models:/moons/1' },
      explainer,
    });
    assert.throws(() => validateDeploymentSpec(spec({})), /explainer\.background/);
    assert.throws(
      () => validateDeploymentSpec(spec({ background: 'runs:/abc/bg.csv' })),
      /not supported yet/,
    );
    assert.throws(() => validateDeploymentSpec(spec({ background, nsamples: 0.5 })), /explainer\.nsamples/);
    assert.throws(() => validateDeploymentSpec(spec({ background, colour: 'red' })), /colour/);
    await assert.rejects(
      host.apply(validateDeploymentSpec(spec({ background: join(world.home, 'absent.csv') }))),
      /explainer background .* cannot be read/,
    );
    assert.throws(() => host.status('bad'), /not found/);
  });
});
