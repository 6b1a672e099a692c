import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Signature } from '../../models/index.js';
import type { InferenceRequest } from '../types.js';
import { oipRoutes } from './index.js';
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
  [-2, 1, 0],
];

const TYPES: Signature = {
  inputs: (
    [
      'BOOL',
      'UINT8',
      'UINT16',
      'UINT32',
      'UINT64',
      'INT8',
      'INT16',
      'INT32',
      'INT64',
      'FP16',
      'FP32',
      'FP64',
      'BYTES',
    ] as const
  ).map((datatype) => ({ name: datatype.toLowerCase(), datatype, shape: [-1] })),
  outputs: [],
};

/** A binary-extension body: JSON header, then each chunk in order. */
function binaryBody(header: unknown, chunks: Uint8Array[]) {
  const json = Buffer.from(JSON.stringify(header));
  return { payload: Buffer.concat([json, ...chunks]), length: json.length };
}

describe('OIP REST routes over a real ONNX model', () => {
  let lr: Awaited<ReturnType<typeof loadLr>>;
  let app: FastifyInstance;
  const readiness = { live: true, ready: true };
  const seen: InferenceRequest[] = [];

  before(async () => {
    lr = await loadLr();
    const cold = { ...echoEndpoint('cold', LR_SIGNATURE), ready: () => false };
    const server = serverOf(
      [predictorEndpoint('lr', '1', lr.predictor), echoEndpoint('echo', TYPES, seen), cold],
      readiness,
    );
    app = Fastify();
    await app.register(oipRoutes(server, { bodyLimitBytes: 64 * 1024 }));
  });
  after(async () => {
    await app.close();
    await lr.close();
  });

  const infer = (model: string, body: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/v2/models/${model}/infer`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers health and server metadata; 503 {"error"} when not live or not ready', async () => {
    assert.deepEqual((await app.inject('/v2/health/live')).json(), { live: true });
    assert.deepEqual((await app.inject('/v2/health/ready')).json(), { ready: true });
    assert.deepEqual((await app.inject('/v2')).json(), {
      name: 'osprey-test',
      version: '0.1.0',
      extensions: ['binary_tensor_data'],
    });
    readiness.ready = false;
    readiness.live = false;
    try {
      const notReady = await app.inject('/v2/health/ready');
      assert.equal(notReady.statusCode, 503);
      assert.deepEqual(notReady.json(), { error: 'Server is not ready.' });
      assert.equal((await app.inject('/v2/health/live')).statusCode, 503);
    } finally {
      readiness.ready = true;
      readiness.live = true;
    }
  });

  it('describes a model from its signature, with and without a version; ready state per model', async () => {
    const expected = {
      name: 'lr',
      versions: ['1'],
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      ],
    };
    assert.deepEqual((await app.inject('/v2/models/lr')).json(), expected);
    assert.deepEqual((await app.inject('/v2/models/lr/versions/1')).json(), expected);
    const missing = await app.inject('/v2/models/lr/versions/2');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().error, /model 'lr' version 2 not found/);
    assert.deepEqual((await app.inject('/v2/models/lr/ready')).json(), { name: 'lr', ready: true });
    assert.deepEqual((await app.inject('/v2/models/lr/versions/1/ready')).json(), {
      name: 'lr',
      ready: true,
    });
    const cold = await app.inject('/v2/models/cold/ready');
    assert.equal(cold.statusCode, 503);
    assert.deepEqual(cold.json(), { error: 'Model cold is not ready.' });
    assert.equal((await app.inject('/v2/models/nope/ready')).statusCode, 404);
  });

  it('infers: probabilities = softmax(xWᵀ + b) within float32 error, labels = argmax, id echoed', async () => {
    const res = await infer('lr', {
      id: 'abc-1',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [3, 3], data: ROWS }],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const body = res.json();
    assert.equal(body.model_name, 'lr');
    assert.equal(body.model_version, '1');
    assert.equal(body.id, 'abc-1');
    const [label, probabilities] = body.outputs;
    assert.deepEqual(label, { name: 'label', datatype: 'INT64', shape: [3], data: lrLabels(ROWS) });
    assert.equal(probabilities.datatype, 'FP32');
    assert.deepEqual(probabilities.shape, [3, 3]);
    assertClose(probabilities.data, lrProbabilities(ROWS).flat());
  });

  it('generates an id when none is sent, or takes x-request-id; versioned path; requested outputs in order', async () => {
    const input = { name: 'input', datatype: 'FP32', shape: [1, 3], data: ROWS[0] };
    const generated = (await infer('lr', { inputs: [input] })).json();
    assert.match(generated.id, /^[0-9a-f-]{36}$/);
    const fromHeader = await infer('lr', { inputs: [input] }, { 'x-request-id': 'hdr-9' });
    assert.equal(fromHeader.json().id, 'hdr-9');
    const res = await app.inject({
      method: 'POST',
      url: '/v2/models/lr/versions/1/infer',
      payload: { inputs: [input], outputs: [{ name: 'probabilities' }, { name: 'label' }] },
    });
    assert.deepEqual(
      res.json().outputs.map((o: { name: string }) => o.name),
      ['probabilities', 'label'],
    );
    const one = (await infer('lr', { inputs: [input], outputs: [{ name: 'label' }] })).json();
    assert.deepEqual(one.outputs, [
      { name: 'label', datatype: 'INT64', shape: [1], data: lrLabels([ROWS[0]!]) },
    ]);
  });

  it('carries every datatype as JSON, passes parameters and headers through, returns response parameters', async () => {
    seen.length = 0;
    const inputs = [
      { name: 'bool', datatype: 'BOOL', shape: [2], data: [true, false] },
      { name: 'uint8', datatype: 'UINT8', shape: [1], data: [255] },
      { name: 'uint16', datatype: 'UINT16', shape: [1], data: [65535] },
      { name: 'uint32', datatype: 'UINT32', shape: [1], data: [4294967295] },
      { name: 'uint64', datatype: 'UINT64', shape: [1], data: [9007199254740991] },
      { name: 'int8', datatype: 'INT8', shape: [1], data: [-128] },
      { name: 'int16', datatype: 'INT16', shape: [1], data: [-32768] },
      { name: 'int32', datatype: 'INT32', shape: [1], data: [-2147483648] },
      { name: 'int64', datatype: 'INT64', shape: [1], data: [-9007199254740991] },
      { name: 'fp16', datatype: 'FP16', shape: [1], data: [0.5] },
      { name: 'fp32', datatype: 'FP32', shape: [1], data: [0.25] },
      { name: 'fp64', datatype: 'FP64', shape: [1], data: [0.1] },
      { name: 'bytes', datatype: 'BYTES', shape: [2], data: ['naïve', '{"a":1}'] },
    ];
    const res = await infer(
      'echo',
      { inputs, parameters: { content_type: 'np', binary_data_output: false, top_k: 3 } },
      { 'x-osprey-no-log': '1' },
    );
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.parameters, { echoed: true });
    assert.deepEqual(
      body.outputs,
      inputs.map((i) => ({ ...i, name: `out_${i.name}` })),
    );
    assert.deepEqual(seen[0]!.parameters, { content_type: 'np', top_k: 3 });
    assert.equal(seen[0]!.headers?.['x-osprey-no-log'], '1');
  });

  it('binary extension: binary inputs in, binary outputs out (Triton extension_binary_data.md layout)', async () => {
    // UINT64 above 2^53 and BYTES with a multi-byte character: exact only in binary.
    const big = BigUint64Array.of(2n ** 64n - 1n, 3n);
    const text = Buffer.concat([
      Buffer.from([3, 0, 0, 0]),
      Buffer.from('ét', 'utf8'),
      Buffer.from([1, 0, 0, 0, 0x78]),
    ]);
    const fp16 = Buffer.from(Uint16Array.of(0x3c00, 0xc000).buffer); // 1, -2
    const { payload, length } = binaryBody(
      {
        inputs: [
          { name: 'uint64', datatype: 'UINT64', shape: [2], parameters: { binary_data_size: 16 } },
          { name: 'bytes', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: text.length } },
          { name: 'fp16', datatype: 'FP16', shape: [2], parameters: { binary_data_size: 4 } },
          { name: 'bool', datatype: 'BOOL', shape: [3], data: [true, false, true] },
        ],
        outputs: [
          { name: 'out_uint64', parameters: { binary_data: true } },
          { name: 'out_bytes' },
          { name: 'out_fp16', parameters: { binary_data: true } },
          { name: 'out_bool', parameters: { binary_data: false } },
        ],
      },
      [Buffer.from(big.buffer), text, fp16],
    );
    const res = await app.inject({
      method: 'POST',
      url: '/v2/models/echo/infer',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(length),
      },
      payload,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    const headerLength = Number(res.headers['inference-header-content-length']);
    const raw = res.rawPayload;
    const header = JSON.parse(raw.subarray(0, headerLength).toString('utf8'));
    assert.deepEqual(header.outputs, [
      { name: 'out_uint64', datatype: 'UINT64', shape: [2], parameters: { binary_data_size: 16 } },
      { name: 'out_bytes', datatype: 'BYTES', shape: [2], data: ['ét', 'x'] },
      { name: 'out_fp16', datatype: 'FP16', shape: [2], parameters: { binary_data_size: 4 } },
      { name: 'out_bool', datatype: 'BOOL', shape: [3], data: [true, false, true] },
    ]);
    const tail = raw.subarray(headerLength);
    assert.equal(tail.length, 20);
    assert.deepEqual([...tail.subarray(0, 16)], [...Buffer.from(big.buffer)]);
    assert.deepEqual([...tail.subarray(16)], [...fp16]);
  });

  it('binary_data_output returns every output as binary unless an output says otherwise', async () => {
    const res = await infer('lr', {
      inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 3], data: ROWS.slice(0, 2) }],
      parameters: { binary_data_output: true },
      outputs: [{ name: 'label', parameters: { binary_data: false } }, { name: 'probabilities' }],
    });
    const headerLength = Number(res.headers['inference-header-content-length']);
    const header = JSON.parse(res.rawPayload.subarray(0, headerLength).toString('utf8'));
    assert.deepEqual(header.outputs[0].data, lrLabels(ROWS.slice(0, 2)));
    assert.deepEqual(header.outputs[1].parameters, { binary_data_size: 24 });
    const probabilities = new Float32Array(new Uint8Array(res.rawPayload.subarray(headerLength)).buffer);
    assertClose([...probabilities], lrProbabilities(ROWS.slice(0, 2)).flat());
  });
});
