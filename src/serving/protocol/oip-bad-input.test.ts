import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { oipRoutes } from './index.js';
import {
  echoEndpoint,
  LR_SIGNATURE,
  loadLr,
  predictorEndpoint,
  serverOf,
} from './test-support/test-server.js';

const GOOD = { name: 'input', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] };

describe('OIP REST: bad input gets a 4xx {"error"} naming the problem, never a 500', () => {
  let lr: Awaited<ReturnType<typeof loadLr>>;
  let app: FastifyInstance;

  before(async () => {
    lr = await loadLr();
    const cold = { ...echoEndpoint('cold', LR_SIGNATURE), ready: () => false };
    app = Fastify();
    await app.register(
      oipRoutes(serverOf([predictorEndpoint('lr', '1', lr.predictor), cold]), { bodyLimitBytes: 4096 }),
    );
  });
  after(async () => {
    await app.close();
    await lr.close();
  });

  const post = (payload: string | Buffer, headers: Record<string, string> = {}, model = 'lr') =>
    app.inject({
      method: 'POST',
      url: `/v2/models/${model}/infer`,
      headers: { 'content-type': 'application/json', ...headers },
      payload,
    });

  const json = (body: unknown) => JSON.stringify(body);

  it('malformed JSON, wrong shapes and datatypes, unknown tensors and models', async () => {
    const cases: [string | Buffer, number, RegExp, Record<string, string>?, string?][] = [
      ['{"inputs": [', 400, /not valid JSON/],
      ['', 400, /body is empty/],
      ['[1, 2]', 400, /must be a JSON object/],
      [json({}), 400, /inputs must be a non-empty list/],
      [json({ inputs: [] }), 400, /inputs must be a non-empty list/],
      [json({ inputs: [42] }), 400, /inputs\[0\] must be an object/],
      [json({ inputs: [{ ...GOOD, name: '' }] }), 400, /inputs\[0\] needs a name/],
      [json({ inputs: [GOOD, GOOD] }), 400, /input 'input' appears twice/],
      [json({ inputs: [{ ...GOOD, data: [1, 2] }] }), 400, /shape \[1, 3\] needs 3 elements, data has 2/],
      [
        json({ inputs: [{ ...GOOD, shape: [1, 4], data: [1, 2, 3, 4] }] }),
        400,
        /shape \[1, 4\] does not match the signature's \[-1, 3\]/,
      ],
      [json({ inputs: [{ ...GOOD, shape: [-1, 3] }] }), 400, /shape must be a list of non-negative integers/],
      [
        json({ inputs: [{ ...GOOD, datatype: 'FP64' }] }),
        400,
        /datatype FP64 does not match the signature's FP32/,
      ],
      [json({ inputs: [{ ...GOOD, datatype: 'FLOAT' }] }), 400, /unknown datatype "FLOAT"/],
      [json({ inputs: [{ ...GOOD, data: ['a', 'b', 'c'] }] }), 400, /element 0 is "a", expected a number/],
      [json({ inputs: [{ ...GOOD, data: 'abc' }] }), 400, /data must be an array/],
      [json({ inputs: [{ ...GOOD, data: undefined }] }), 400, /has no data \(nor binary_data_size\)/],
      [
        json({ inputs: [{ ...GOOD, name: 'other' }] }),
        400,
        /unknown input 'other' \(the model takes: input\)/,
      ],
      [
        json({ inputs: [GOOD], outputs: [{ name: 'score' }] }),
        400,
        /unknown output 'score' \(model 'lr' returns: label, probabilities\)/,
      ],
      [json({ inputs: [GOOD], outputs: [{ name: 'label' }, { name: 'label' }] }), 400, /requested twice/],
      [json({ inputs: [GOOD], outputs: 'label' }), 400, /outputs must be a list/],
      [json({ inputs: [GOOD], id: 7 }), 400, /id must be a string/],
      [json({ inputs: [GOOD], parameters: [1] }), 400, /parameters must be an object/],
      [
        json({ inputs: [GOOD], parameters: { binary_data_output: 'yes' } }),
        400,
        /binary_data_output must be a boolean/,
      ],
      [json({ inputs: [GOOD] }), 404, /model 'nope' not found/, {}, 'nope'],
      [json({ inputs: [GOOD] }), 503, /model 'cold' is not ready/, {}, 'cold'],
      [
        json({ inputs: [{ ...GOOD, data: new Array(2000).fill(1.2345) }] }),
        413,
        /exceeds the limit of 4096 bytes/,
      ],
    ];
    for (const [payload, status, pattern, headers, model] of cases) {
      const res = await post(payload, headers, model);
      assert.equal(res.statusCode, status, `${String(payload).slice(0, 80)} → ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.match(res.json().error, pattern);
    }
  });

  it('truncated, overlong and inconsistent binary payloads', async () => {
    const header = (inputs: unknown[]) => Buffer.from(json({ inputs }));
    const binaryInput = (size: number) => ({
      ...GOOD,
      data: undefined,
      parameters: { binary_data_size: size },
    });
    const twelve = Buffer.from(Float32Array.of(1, 2, 3).buffer);
    const send = (head: Buffer, tail: Buffer, length: string = String(head.length)) =>
      post(Buffer.concat([head, tail]), {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': length,
      });
    const cases: [Promise<{ statusCode: number; json(): { error: string } }>, RegExp][] = [
      [
        send(header([binaryInput(12)]), twelve.subarray(0, 7)),
        /binary_data_size is 12 but only 7 bytes .* remain \(truncated request\?\)/,
      ],
      [
        send(header([binaryInput(12)]), twelve, '100000'),
        /Inference-Header-Content-Length is 100000 but the body has only \d+ bytes/,
      ],
      [send(header([binaryInput(12)]), twelve, 'ten'), /must be a byte count, got 'ten'/],
      [send(header([binaryInput(8)]), twelve.subarray(0, 8)), /needs 12 bytes of data, got 8/],
      [
        send(header([binaryInput(12)]), Buffer.concat([twelve, Buffer.alloc(4)])),
        /4 bytes of binary data that no input's binary_data_size accounts for/,
      ],
      [send(header([GOOD]), twelve), /12 bytes of binary data that no input/],
      [
        send(header([{ ...GOOD, parameters: { binary_data_size: 12 } }]), twelve),
        /has both data and binary_data_size/,
      ],
      [send(header([binaryInput(-1)]), twelve), /binary_data_size must be a byte count/],
      [post(json({ inputs: [binaryInput(12)] })), /has no Inference-Header-Content-Length/],
      [send(Buffer.from('{"inputs": ['), twelve), /not valid JSON/],
    ];
    for (const [pending, pattern] of cases) {
      const res = await pending;
      assert.equal(res.statusCode, 400, res.json().error);
      assert.match(res.json().error, pattern);
    }
    // The same binary request, intact, succeeds.
    const ok = await send(header([binaryInput(12)]), twelve);
    assert.equal(ok.statusCode, 200);
  });
});
