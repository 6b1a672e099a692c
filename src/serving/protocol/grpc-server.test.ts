import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Signature } from '../../models/index.js';
import {
  INFERENCE_PROTO_PATH,
  PROTO_LOADER_OPTIONS,
  type RunningGrpcServer,
  startGrpcServer,
  tensorToBytes,
} from './index.js';
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

type Unary = (
  request: unknown,
  metadata: grpc.Metadata,
  callback: (e: grpc.ServiceError | null, r: unknown) => void,
) => void;
type Reply = Record<string, unknown>;

/** A real grpc-js client, generated from the inference.proto the server is built from. */
function makeClient(port: number) {
  const definition = protoLoader.loadSync(INFERENCE_PROTO_PATH, PROTO_LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    inference: { GRPCInferenceService: grpc.ServiceClientConstructor };
  };
  const client = new pkg.inference.GRPCInferenceService(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  const call = (method: string, request: unknown, metadata = new grpc.Metadata()) =>
    new Promise<Reply>((resolve, reject) => {
      const fn = (client as unknown as Record<string, Unary>)[method]!.bind(client);
      fn(request, metadata, (error, reply) => (error ? reject(error) : resolve(reply as Reply)));
    });
  return { client, call };
}

const grpcCode = (code: grpc.status, pattern: RegExp) => (e: unknown) => {
  const err = e as grpc.ServiceError;
  assert.equal(err.code, code, err.details);
  assert.match(err.details, pattern);
  return true;
};

const ROWS = [
  [0.5, -1, 2],
  [1.5, 0.25, -0.75],
];

/** Every OIP datatype, one input each (the echo endpoint returns them as out_<name>). */
const ALL_TYPES: Signature = {
  inputs: (
    [
      ['b', 'BOOL'],
      ['u8', 'UINT8'],
      ['u16', 'UINT16'],
      ['u32', 'UINT32'],
      ['u64', 'UINT64'],
      ['i8', 'INT8'],
      ['i16', 'INT16'],
      ['i32', 'INT32'],
      ['i64', 'INT64'],
      ['f16', 'FP16'],
      ['f32', 'FP32'],
      ['f64', 'FP64'],
      ['s', 'BYTES'],
    ] as const
  ).map(([name, datatype]) => ({ name, datatype, shape: [-1] })),
  outputs: [],
};

describe('OIP gRPC server (grpc-js client over 127.0.0.1)', () => {
  let lr: Awaited<ReturnType<typeof loadLr>>;
  let running: RunningGrpcServer;
  let client: ReturnType<typeof makeClient>;
  const notReady = { ...echoEndpoint('cold', LR_SIGNATURE), ready: () => false };

  before(async () => {
    lr = await loadLr();
    const echo = echoEndpoint('echo', ALL_TYPES);
    running = await startGrpcServer(serverOf([predictorEndpoint('lr', '1', lr.predictor), echo, notReady]), {
      maxMessageBytes: 64 * 1024,
    });
    client = makeClient(running.port);
  });
  after(async () => {
    client.client.close();
    await running.close();
    await lr.close();
  });

  it('answers health, server metadata, model metadata and model readiness', async () => {
    assert.deepEqual(await client.call('ServerLive', {}), { live: true });
    assert.deepEqual(await client.call('ServerReady', {}), { ready: true });
    const server = await client.call('ServerMetadata', {});
    assert.deepEqual(server, { name: 'osprey-test', version: '0.1.0', extensions: [] });
    const meta = await client.call('ModelMetadata', { name: 'lr', version: '1' });
    assert.deepEqual(meta, {
      name: 'lr',
      versions: ['1'],
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'input', datatype: 'FP32', shape: ['-1', '3'] }],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: ['-1'] },
        { name: 'probabilities', datatype: 'FP32', shape: ['-1', '3'] },
      ],
    });
    assert.deepEqual(await client.call('ModelReady', { name: 'lr' }), { ready: true });
    assert.deepEqual(await client.call('ModelReady', { name: 'cold' }), { ready: false });
    await assert.rejects(
      client.call('ModelReady', { name: 'nope' }),
      grpcCode(grpc.status.NOT_FOUND, /nope/),
    );
    await assert.rejects(
      client.call('ModelMetadata', { name: 'lr', version: '9' }),
      grpcCode(grpc.status.NOT_FOUND, /version 9/),
    );
  });

  it('infers with typed contents: the ONNX model gives softmax(xWᵀ+b) and the argmax label', async () => {
    const reply = await client.call('ModelInfer', {
      model_name: 'lr',
      id: 'req-7',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 3], contents: { fp32_contents: ROWS.flat() } }],
    });
    assert.equal(reply.model_name, 'lr');
    assert.equal(reply.model_version, '1');
    assert.equal(reply.id, 'req-7');
    assert.deepEqual(reply.raw_output_contents, []);
    const outputs = reply.outputs as { name: string; shape: string[]; contents: Record<string, unknown[]> }[];
    assert.deepEqual(
      outputs.map((o) => [o.name, o.shape]),
      [
        ['label', ['2']],
        ['probabilities', ['2', '3']],
      ],
    );
    assert.deepEqual(outputs[0]!.contents.int64_contents, lrLabels(ROWS).map(String));
    const probabilities = outputs[1]!.contents.fp32_contents as number[];
    assertClose(probabilities, lrProbabilities(ROWS).flat());
  });

  it('infers with raw_input_contents and answers raw_output_contents, honouring requested outputs', async () => {
    const raw = tensorToBytes({ datatype: 'FP32', shape: [2, 3], data: Float32Array.from(ROWS.flat()) });
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', 'from-metadata');
    const reply = await client.call(
      'ModelInfer',
      {
        model_name: 'lr',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 3] }],
        outputs: [{ name: 'probabilities' }],
        raw_input_contents: [Buffer.from(raw)],
      },
      metadata,
    );
    assert.equal(reply.id, 'from-metadata');
    const outputs = reply.outputs as { name: string; contents: unknown }[];
    assert.deepEqual(
      outputs.map((o) => o.name),
      ['probabilities'],
    );
    assert.equal(outputs[0]!.contents, null);
    const bytes = (reply.raw_output_contents as Buffer[])[0]!;
    const probabilities = new Float32Array(new Uint8Array(bytes).buffer);
    assertClose(probabilities, lrProbabilities(ROWS).flat());
  });

  it('round-trips every datatype through typed contents and raw contents, and parameters', async () => {
    const typed = await client.call('ModelInfer', {
      model_name: 'echo',
      parameters: {
        threshold: { double_param: 0.5 },
        tag: { string_param: 'x' },
        big: { int64_param: '9007199254740993' },
      },
      inputs: [
        { name: 'b', datatype: 'BOOL', shape: [2], contents: { bool_contents: [true, false] } },
        { name: 'u8', datatype: 'UINT8', shape: [2], contents: { uint_contents: [0, 255] } },
        { name: 'u16', datatype: 'UINT16', shape: [1], contents: { uint_contents: [65535] } },
        { name: 'u32', datatype: 'UINT32', shape: [1], contents: { uint_contents: [4294967295] } },
        {
          name: 'u64',
          datatype: 'UINT64',
          shape: [1],
          contents: { uint64_contents: ['18446744073709551615'] },
        },
        { name: 'i8', datatype: 'INT8', shape: [2], contents: { int_contents: [-128, 127] } },
        { name: 'i16', datatype: 'INT16', shape: [1], contents: { int_contents: [-32768] } },
        { name: 'i32', datatype: 'INT32', shape: [1], contents: { int_contents: [-2147483648] } },
        {
          name: 'i64',
          datatype: 'INT64',
          shape: [1],
          contents: { int64_contents: ['-9223372036854775808'] },
        },
        { name: 'f32', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1.5] } },
        { name: 'f64', datatype: 'FP64', shape: [1], contents: { fp64_contents: [0.1] } },
        {
          name: 's',
          datatype: 'BYTES',
          shape: [2],
          contents: { bytes_contents: [Buffer.from('naïve'), Buffer.from('')] },
        },
      ],
    });
    const out = Object.fromEntries(
      (typed.outputs as { name: string; contents: Record<string, unknown[]> }[]).map((o) => [
        o.name,
        o.contents,
      ]),
    );
    assert.deepEqual(out.out_b!.bool_contents, [true, false]);
    assert.deepEqual(out.out_u8!.uint_contents, [0, 255]);
    assert.deepEqual(out.out_u64!.uint64_contents, ['18446744073709551615']);
    assert.deepEqual(out.out_i8!.int_contents, [-128, 127]);
    assert.deepEqual(out.out_i64!.int64_contents, ['-9223372036854775808']);
    assert.deepEqual(out.out_f64!.fp64_contents, [0.1]);
    assert.deepEqual(
      (out.out_s!.bytes_contents as Buffer[]).map((b) => b.toString('utf8')),
      ['naïve', ''],
    );
    assert.deepEqual(typed.parameters, { echoed: { bool_param: true, parameter_choice: 'bool_param' } });

    // FP16 only travels raw: 1.5 is exact in binary16 (0x3e00), 65504 is its largest finite value.
    const half = Buffer.from(Uint16Array.of(0x3e00, 0x7bff).buffer);
    const raw = await client.call('ModelInfer', {
      model_name: 'echo',
      inputs: [
        { name: 'f16', datatype: 'FP16', shape: [2] },
        { name: 'i64', datatype: 'INT64', shape: [1] },
        { name: 's', datatype: 'BYTES', shape: [1] },
      ],
      raw_input_contents: [
        half,
        Buffer.from(BigInt64Array.of(2n ** 62n).buffer),
        Buffer.from([2, 0, 0, 0, 104, 105]),
      ],
    });
    const rawOut = raw.raw_output_contents as Buffer[];
    assert.deepEqual([...rawOut[0]!], [...half]);
    assert.equal(new BigInt64Array(new Uint8Array(rawOut[1]!).buffer)[0], 2n ** 62n);
    assert.deepEqual([...rawOut[2]!], [2, 0, 0, 0, 104, 105]);
  });

  it('rejects bad requests with gRPC statuses, never crashing', async () => {
    const input = { name: 'input', datatype: 'FP32', shape: [2, 3] };
    const cases: [unknown, grpc.status, RegExp][] = [
      [{ model_name: 'nope', inputs: [input] }, grpc.status.NOT_FOUND, /nope/],
      [{ model_name: 'cold', inputs: [input] }, grpc.status.UNAVAILABLE, /not ready/],
      [{ model_name: 'lr', inputs: [] }, grpc.status.INVALID_ARGUMENT, /at least one/],
      [
        { model_name: 'lr', inputs: [{ ...input, contents: { fp32_contents: [1, 2, 3] } }] },
        grpc.status.INVALID_ARGUMENT,
        /needs 6 elements, fp32_contents has 3/,
      ],
      [
        { model_name: 'lr', inputs: [{ ...input, contents: { int_contents: [1, 2, 3, 4, 5, 6] } }] },
        grpc.status.INVALID_ARGUMENT,
        /belongs in fp32_contents, not int_contents/,
      ],
      [
        { model_name: 'lr', inputs: [input], raw_input_contents: [Buffer.alloc(20)] },
        grpc.status.INVALID_ARGUMENT,
        /needs 24 bytes of data, got 20/,
      ],
      [
        {
          model_name: 'lr',
          inputs: [{ ...input, shape: [2, 4], contents: { fp32_contents: new Array(8).fill(0) } }],
        },
        grpc.status.INVALID_ARGUMENT,
        /shape \[2, 4\] does not match the signature's \[-1, 3\]/,
      ],
      [
        {
          model_name: 'lr',
          inputs: [{ ...input, contents: { fp32_contents: ROWS.flat() } }],
          outputs: [{ name: 'x' }],
        },
        grpc.status.INVALID_ARGUMENT,
        /unknown output 'x'/,
      ],
      [
        {
          model_name: 'echo',
          inputs: [{ name: 'f16', datatype: 'FP16', shape: [1], contents: { fp32_contents: [1] } }],
        },
        grpc.status.INVALID_ARGUMENT,
        /FP16 data must be sent in raw_input_contents/,
      ],
      [
        {
          model_name: 'echo',
          inputs: [{ name: 'u8', datatype: 'UINT8', shape: [1], contents: { uint_contents: [256] } }],
        },
        grpc.status.INVALID_ARGUMENT,
        /integer in \[0, 255\]/,
      ],
      [
        {
          model_name: 'lr',
          inputs: [{ ...input, shape: [20000, 3], contents: { fp32_contents: new Array(60000).fill(0) } }],
        },
        grpc.status.RESOURCE_EXHAUSTED,
        /larger than max|exceeds/i,
      ],
    ];
    for (const [request, status, pattern] of cases) {
      await assert.rejects(client.call('ModelInfer', request), grpcCode(status, pattern));
    }
    assert.deepEqual(await client.call('ServerLive', {}), { live: true });
  });
});
