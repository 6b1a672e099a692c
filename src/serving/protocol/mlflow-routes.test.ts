import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Signature } from '../../models/index.js';
import type { InferenceRequest } from '../types.js';
import { mlflowRoutes } from './index.js';
import {
  assertClose,
  echoEndpoint,
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

type Prediction = { label: number; probabilities: number[] };

/** MLflow answers a DataFrame-like output as records (pandas orient='records'). */
function assertLrPredictions(body: { predictions: Prediction[] }, rows = ROWS) {
  assert.deepEqual(
    body.predictions.map((p) => p.label),
    lrLabels(rows),
  );
  assertClose(
    body.predictions.flatMap((p) => p.probabilities),
    lrProbabilities(rows).flat(),
  );
}

const TWO_INPUTS: Signature = {
  inputs: [
    { name: 'x', datatype: 'FP64', shape: [-1, 2] },
    { name: 'k', datatype: 'INT32', shape: [-1] },
  ],
  outputs: [],
};

describe('MLflow /invocations over a real ONNX model', () => {
  let lr: Awaited<ReturnType<typeof loadLr>>;
  let app: FastifyInstance;
  let multi: FastifyInstance;
  const seen: InferenceRequest[] = [];

  before(async () => {
    lr = await loadLr();
    app = Fastify();
    await app.register(
      mlflowRoutes(serverOf([predictorEndpoint('lr', '1', lr.predictor)]), { bodyLimitBytes: 2048 }),
    );
    multi = Fastify();
    const server = serverOf([
      predictorEndpoint('lr', '1', lr.predictor),
      echoEndpoint('two', TWO_INPUTS, seen),
    ]);
    await multi.register(mlflowRoutes(server, { defaultModel: 'lr' }));
  });
  after(async () => {
    await app.close();
    await multi.close();
    await lr.close();
  });

  const invoke = (body: unknown, contentType = 'application/json', target = app, url = '/invocations') =>
    target.inject({
      method: 'POST',
      url,
      headers: { 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('scores dataframe_split, dataframe_records, instances, inputs and CSV alike', async () => {
    const bodies: unknown[] = [
      { dataframe_split: { columns: ['a', 'b', 'c'], data: ROWS } },
      // Column order in the request does not matter: the signature's columns decide.
      { dataframe_split: { columns: ['c', 'a', 'b'], data: ROWS.map(([a, b, c]) => [c, a, b]) } },
      { dataframe_records: ROWS.map(([a, b, c]) => ({ a, b, c })) },
      { instances: ROWS },
      { instances: ROWS.map(([a, b, c]) => ({ a, b, c })) },
      { inputs: ROWS },
      { inputs: { input: ROWS } },
      { inputs: { a: ROWS.map((r) => r[0]), b: ROWS.map((r) => r[1]), c: ROWS.map((r) => r[2]) } },
      { dataframe_split: { columns: ['a', 'b', 'c'], data: ROWS }, params: { threshold: 0.5 } },
    ];
    for (const body of bodies) {
      const res = await invoke(body);
      assert.equal(res.statusCode, 200, `${JSON.stringify(body)} → ${res.body}`);
      assertLrPredictions(res.json());
    }
    const csv = `a,b,c\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;
    const res = await invoke(csv, 'text/csv');
    assert.equal(res.statusCode, 200, res.body);
    assertLrPredictions(res.json());
    assertLrPredictions((await invoke(bodies[0], 'application/json; charset=utf-8')).json());
  });

  it('answers /ping, /health and /version', async () => {
    for (const url of ['/ping', '/health']) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, '\n');
    }
    assert.equal((await app.inject('/version')).body, '0.1.0');
  });

  it('picks ?model= over the default model; named inputs and params reach the endpoint', async () => {
    assertLrPredictions((await invoke({ instances: ROWS }, 'application/json', multi)).json());
    seen.length = 0;
    const res = await invoke(
      {
        instances: [
          { x: [1, 2], k: 3 },
          { x: [4, 5], k: 6 },
        ],
        params: { temperature: 0.2 },
      },
      'application/json',
      multi,
      '/invocations?model=two',
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      predictions: [
        { out_x: [1, 2], out_k: 3 },
        { out_x: [4, 5], out_k: 6 },
      ],
    });
    assert.deepEqual(seen[0]!.parameters, { temperature: 0.2 });
    assert.deepEqual(seen[0]!.inputs.k, { datatype: 'INT32', shape: [2], data: Int32Array.of(3, 6) });
    const unknown = await invoke({ instances: ROWS }, 'application/json', multi, '/invocations?model=nope');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error_code, 'RESOURCE_DOES_NOT_EXIST');
  });

  it("rejects what MLflow rejects, in MLflow's error format", async () => {
    const cases: [unknown, number, RegExp, string?][] = [
      [
        { dataframe_split: { columns: ['a', 'b', 'c'], data: ROWS }, instances: ROWS },
        400,
        /exactly one of the input fields.*Received dictionary with input fields: \[dataframe_split, instances\]/,
      ],
      [{ data: ROWS }, 400, /exactly one of the input fields/],
      [[1, 2, 3], 400, /Received a list/],
      ['{"instances": [', 400, /valid JSON/],
      [{ instances: [[1, 2]] }, 400, /shape \[1, 2\] does not match the signature's \[-1, 3\]/],
      [
        {
          instances: [
            [1, 2, 3],
            [4, 5],
          ],
        },
        400,
        /ragged/,
      ],
      [{ instances: [['x', 'y', 'z']] }, 400, /expected a number/],
      [{ dataframe_records: [{ a: 1, b: 2 }] }, 400, /needs column 'c'/],
      [{ dataframe_split: { columns: ['a'], data: [[1, 2]] } }, 400, /data row 0 must be a list of 1 values/],
      [{ instances: ROWS, params: [1] }, 400, /params must be an object/],
      ['a,b,c\n1,2,x\n', 400, /'x' is not a number/, 'text/csv'],
      ['a,b\n1,2\n', 400, /needs column 'c'/, 'text/csv'],
      [{ instances: new Array(300).fill([1.25, 2.5, 3.75]) }, 413, /exceeds the limit of 2048 bytes/],
    ];
    for (const [body, status, pattern, type] of cases) {
      const res = await invoke(body, type);
      assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 80)} → ${res.body}`);
      assert.equal(res.json().error_code, 'BAD_REQUEST');
      assert.match(res.json().message, pattern);
    }
    for (const type of [
      'text/plain',
      'application/json; charset=latin-1',
      'application/json; format=pandas-split',
    ]) {
      const res = await invoke({ instances: ROWS }, type);
      assert.equal(res.statusCode, 415, type);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
    }
    const emptyQuery = await invoke({ instances: ROWS }, 'application/json', multi, '/invocations?model=');
    assert.equal(emptyQuery.statusCode, 200, 'an empty ?model= falls back to the default');
  });

  it('needs a choice when several models are served and none is the default', async () => {
    const noDefault = Fastify();
    await noDefault.register(
      mlflowRoutes(serverOf([predictorEndpoint('lr', '1', lr.predictor), echoEndpoint('two', TWO_INPUTS)])),
    );
    const res = await invoke({ instances: ROWS }, 'application/json', noDefault);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /serves 2 models \(lr, two\): choose one with \?model=<name>/);
    await noDefault.close();
  });
});
