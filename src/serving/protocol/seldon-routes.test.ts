import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Signature } from '../../models/index.js';
import type { Feedback } from '../types.js';
import { seldonRoutes } from './index.js';
import {
  assertClose,
  echoEndpoint,
  feedbackEndpoint,
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

const TEXT: Signature = { inputs: [{ name: 'text', datatype: 'BYTES', shape: [1] }], outputs: [] };

describe('Seldon v1 predictions and feedback over a real ONNX model', () => {
  let lr: Awaited<ReturnType<typeof loadLr>>;
  let app: FastifyInstance;
  const received: Feedback[] = [];

  before(async () => {
    lr = await loadLr();
    const model = feedbackEndpoint(predictorEndpoint('lr', '1', lr.predictor), received);
    app = Fastify();
    await app.register(seldonRoutes(serverOf([model, echoEndpoint('text', TEXT)]), { defaultModel: 'lr' }));
  });
  after(async () => {
    await app.close();
    await lr.close();
  });

  const predict = (body: unknown, url = '/api/v1.0/predictions', headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers data.ndarray with rows of [label, probabilities…] named by column, and meta', async () => {
    const res = await predict({ meta: { puid: 'p-1', tags: { team: 'risk' } }, data: { ndarray: ROWS } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['seldon-puid'], 'p-1');
    const body = res.json();
    assert.deepEqual(body.meta, {
      puid: 'p-1',
      tags: { team: 'risk' },
      routing: {},
      requestPath: { lr: 'lr:1' },
    });
    assert.deepEqual(body.data.names, ['label', 'probabilities:0', 'probabilities:1', 'probabilities:2']);
    const labels = lrLabels(ROWS);
    const probabilities = lrProbabilities(ROWS);
    body.data.ndarray.forEach((row: number[], i: number) => {
      assert.equal(row[0], labels[i]);
      assertClose(row.slice(1), probabilities[i]!);
    });
  });

  it('maps data.names onto the signature columns, answers data.tensor with a tensor', async () => {
    const reordered = await predict({
      data: { names: ['c', 'b', 'a'], ndarray: ROWS.map(([a, b, c]) => [c, b, a]) },
    });
    assert.equal(reordered.statusCode, 200, reordered.body);
    assert.deepEqual(
      reordered.json().data.ndarray.map((r: number[]) => r[0]),
      lrLabels(ROWS),
    );
    const res = await predict({ data: { tensor: { shape: [2, 3], values: ROWS.flat() } } });
    const { tensor, names } = res.json().data;
    assert.equal(names.length, 4);
    assert.deepEqual(tensor.shape, [2, 4]);
    assertClose(
      [
        tensor.values[1],
        tensor.values[2],
        tensor.values[3],
        tensor.values[5],
        tensor.values[6],
        tensor.values[7],
      ],
      lrProbabilities(ROWS).flat(),
    );
  });

  it('takes jsonData by column or input name, and strData for a BYTES model', async () => {
    const byColumn = await predict({ jsonData: { a: [0.5, 1.5], b: [-1, 0.25], c: [2, -0.75] } });
    assert.equal(byColumn.statusCode, 200, byColumn.body);
    assert.deepEqual(byColumn.json().jsonData.label, lrLabels(ROWS));
    const byInput = await predict({ jsonData: { input: ROWS } });
    assertClose(byInput.json().jsonData.probabilities.flat(), lrProbabilities(ROWS).flat());
    const text = await predict({ strData: 'hello' }, '/api/v1.0/predictions?model=text');
    assert.equal(text.statusCode, 200, text.body);
    assert.equal(text.json().strData, 'hello');
    // The echo endpoint reports a route through a graph: it comes back in meta.routing.
    assert.deepEqual(text.json().meta.routing, { router: 1, text: -1 });
  });

  it('passes feedback (reward, truth, routing, puid) to the endpoint', async () => {
    received.length = 0;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1.0/feedback',
      payload: {
        request: { data: { ndarray: [ROWS[0]] } },
        response: { meta: { puid: 'p-7', routing: { router: 1 } }, data: { ndarray: [[1, 0.1, 0.8, 0.1]] } },
        reward: 1,
        truth: { data: { names: ['label'], ndarray: [2] } },
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().meta.puid, 'p-7');
    assert.deepEqual(received, [
      {
        requestId: 'p-7',
        routing: { router: 1 },
        reward: 1,
        truth: { label: { datatype: 'INT64', shape: [1], data: BigInt64Array.of(2n) } },
      },
    ]);
  });

  it("rejects bad messages in Seldon's error format, never with a 500", async () => {
    const cases: [unknown, number, RegExp, string?][] = [
      ['{"data":', 400, /not valid JSON/],
      ['[]', 400, /must be a JSON object/],
      [{ meta: {} }, 400, /exactly one of data, jsonData, strData \(got: none\)/],
      [{ data: { ndarray: ROWS }, strData: 'x' }, 400, /exactly one of .* \(got: data, strData\)/],
      [{ data: { ndarray: [[1, 2]] } }, 400, /shape \[1, 2\] does not match the signature's \[-1, 3\]/],
      [{ data: { tensor: { shape: [2, 3], values: [1, 2, 3] } } }, 400, /needs 6 values, got 3/],
      [{ data: { ndarray: [['a', 'b', 'c']] } }, 400, /expected a number/],
      [{ data: { tftensor: {} } }, 400, /ndarray or tensor/],
      [{ binData: 'AAAA' }, 400, /binData is not supported/],
      [{ strData: 'x' }, 400, /'input' is FP32/],
      [{ meta: { puid: 5 }, data: { ndarray: ROWS } }, 400, /meta.puid must be a string/],
      [{ data: { ndarray: ROWS } }, 404, /model 'nope' not found/, '/api/v1.0/predictions?model=nope'],
    ];
    for (const [body, status, pattern, url] of cases) {
      const res = await predict(body, url);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
      const { status: s } = res.json();
      assert.equal(s.status, 1);
      assert.equal(s.reason, 'MICROSERVICE_BAD_DATA');
      assert.match(s.info, pattern);
    }
    const badReward = await app.inject({
      method: 'POST',
      url: '/api/v1.0/feedback',
      payload: { reward: 'good' },
    });
    assert.equal(badReward.statusCode, 400);
    assert.match(badReward.json().status.info, /reward must be a finite number/);
    const badRouting = await app.inject({
      method: 'POST',
      url: '/api/v1.0/feedback',
      payload: { response: { meta: { routing: { router: 'a' } } }, reward: 1 },
    });
    assert.match(badRouting.json().status.info, /routing must map node names to integers/);
  });
});
