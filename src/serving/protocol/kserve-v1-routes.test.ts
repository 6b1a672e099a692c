import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { kserveV1Routes } from './index.js';
import {
  assertClose,
  echoEndpoint,
  LR_SIGNATURE,
  loadLr,
  lrLabels,
  lrProbabilities,
  predictorEndpoint,
  serverOf,
} from './test-support/test-server.js';

const ROWS = [
  [0.5, -1, 2],
  [1.5, 0.25, -0.75],
];

describe('KServe V1 over a real ONNX model', () => {
  let lr: Awaited<ReturnType<typeof loadLr>>;
  let app: FastifyInstance;

  before(async () => {
    lr = await loadLr();
    const cold = { ...echoEndpoint('cold', LR_SIGNATURE), ready: () => false };
    app = Fastify();
    await app.register(kserveV1Routes(serverOf([predictorEndpoint('lr', '1', lr.predictor), cold])));
  });
  after(async () => {
    await app.close();
    await lr.close();
  });

  const predict = (model: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url: `/v1/models/${model}:predict`,
      headers: { 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('lists models and reports readiness (503 {"error"} when not ready, 404 when unknown)', async () => {
    assert.deepEqual((await app.inject('/v1/models')).json(), { models: ['lr', 'cold'] });
    assert.deepEqual((await app.inject('/v1/models/lr')).json(), { name: 'lr', ready: true });
    const cold = await app.inject('/v1/models/cold');
    assert.equal(cold.statusCode, 503);
    assert.deepEqual(cold.json(), { error: 'Model with name cold is not ready.' });
    assert.equal((await app.inject('/v1/models/nope')).statusCode, 404);
  });

  it('predicts from instances and from inputs: records of label and probabilities per row', async () => {
    for (const body of [
      { instances: ROWS },
      { inputs: ROWS },
      { instances: ROWS.map(([a, b, c]) => ({ a, b, c })) },
    ]) {
      const res = await predict('lr', body);
      assert.equal(res.statusCode, 200, res.body);
      const { predictions } = res.json() as { predictions: { label: number; probabilities: number[] }[] };
      assert.deepEqual(
        predictions.map((p) => p.label),
        lrLabels(ROWS),
      );
      assertClose(
        predictions.flatMap((p) => p.probabilities),
        lrProbabilities(ROWS).flat(),
      );
    }
  });

  it('rejects bad requests with {"error"} and the right status', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['lr', '{"instances": [', 400, /not valid JSON/],
      ['lr', '"x"', 400, /expected a JSON object/],
      ['lr', { rows: ROWS }, 400, /exactly one of "instances" or "inputs"/],
      ['lr', { instances: ROWS, inputs: ROWS }, 400, /exactly one of "instances" or "inputs"/],
      ['lr', { instances: 'abc' }, 400, /instances must be a list/],
      ['lr', { instances: [[1, 2, 3, 4]] }, 400, /does not match the signature's \[-1, 3\]/],
      ['lr', { instances: [[1, null, 3]] }, 400, /expected a number/],
      ['nope', { instances: ROWS }, 404, /model 'nope' not found/],
      ['cold', { instances: ROWS }, 503, /not ready/],
    ];
    for (const [model, body, status, pattern] of cases) {
      const res = await predict(model, body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
      assert.match(res.json().error, pattern);
    }
    const explain = await app.inject({ method: 'POST', url: '/v1/models/lr:explain', payload: {} });
    assert.equal(explain.statusCode, 404);
    assert.match(explain.json().error, /use \/v1\/models\/\{name\}:predict/);
  });
});
