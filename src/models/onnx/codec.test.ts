import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import {
  attr,
  encodeOnnxModel,
  floatTensor,
  int64Tensor,
  makeModel,
  makeNode,
  readOnnxModel,
  tensorValue,
} from './index.js';
import { modelProtoType } from './onnx-proto.js';
import type { OnnxModel } from './types.js';

/** Minimal protobuf wire reader: field number → list of raw values (varint number or bytes). */
function fields(bytes: Uint8Array): Map<number, (number | Uint8Array)[]> {
  const out = new Map<number, (number | Uint8Array)[]>();
  let pos = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      value = bytes.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 5) {
      value = bytes.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    if (!out.has(field)) out.set(field, []);
    out.get(field)!.push(value);
  }
  return out;
}

const text = (v: number | Uint8Array | undefined) => new TextDecoder().decode(v as Uint8Array);
const sub = (m: Map<number, (number | Uint8Array)[]>, f: number, i = 0) => fields(m.get(f)![i] as Uint8Array);

function sampleModel(): OnnxModel {
  return makeModel(
    {
      name: 'g',
      nodes: [
        makeNode('MatMul', ['input', 'w'], ['y']),
        makeNode(
          'Custom',
          ['y'],
          ['z'],
          [
            attr.float('alpha', 0.5),
            attr.int('k', -3),
            attr.string('mode', 'SUM'),
            attr.floats('fs', [1.5, -2]),
            attr.ints('is', [1, 2, 3]),
            attr.strings('ss', ['a', 'LEAF']),
          ],
          'ai.onnx.ml',
        ),
      ],
      initializers: [floatTensor('w', [2, 1], [0.25, -4]), int64Tensor('ids', [3], [1, -2, 3])],
      inputs: [tensorValue('input', 'float', ['N', 2])],
      outputs: [tensorValue('z', 'float', ['N', 1])],
    },
    { producerVersion: '0.1.0', docString: 'doc', metadata: { owner: 'osprey' } },
    true,
  );
}

describe('ONNX protobuf codec', () => {
  // Expected field numbers are those of onnx/onnx.proto (ModelProto.ir_version = 1, producer_name = 2,
  // graph = 7, opset_import = 8, metadata_props = 14; GraphProto.node = 1, name = 2, initializer = 5,
  // input = 11, output = 12; NodeProto.input = 1, output = 2, op_type = 4, attribute = 5, domain = 7; ...).
  it('writes the field numbers of onnx.proto', () => {
    const model = fields(encodeOnnxModel(sampleModel()));
    assert.equal(model.get(1)![0], 8);
    assert.equal(text(model.get(2)![0]), 'osprey');
    assert.equal(text(model.get(3)![0]), '0.1.0');
    assert.equal(text(model.get(6)![0]), 'doc');
    const opset = sub(model, 8, 1);
    assert.equal(text(opset.get(1)![0]), 'ai.onnx.ml');
    assert.equal(opset.get(2)![0], 3);
    const meta = sub(model, 14);
    assert.deepEqual([text(meta.get(1)![0]), text(meta.get(2)![0])], ['owner', 'osprey']);
    const graph = sub(model, 7);
    assert.equal(text(graph.get(2)![0]), 'g');
    const node = sub(graph, 1, 1);
    assert.deepEqual(
      [text(node.get(1)![0]), text(node.get(2)![0]), text(node.get(4)![0]), text(node.get(7)![0])],
      ['y', 'z', 'Custom', 'ai.onnx.ml'],
    );
    const attrs = node.get(5)!.map((a) => fields(a as Uint8Array));
    // AttributeProto: name = 1, f = 2, i = 3, s = 4, floats = 7, ints = 8, strings = 9, type = 20.
    assert.deepEqual(
      attrs.map((a) => [text(a.get(1)![0]), a.get(20)![0]]),
      [
        ['alpha', 1],
        ['k', 2],
        ['mode', 3],
        ['fs', 6],
        ['is', 7],
        ['ss', 8],
      ],
    );
    assert.equal(new Float32Array(Uint8Array.from(attrs[0]!.get(2)![0] as Uint8Array).buffer)[0], 0.5);
    assert.equal(attrs[1]!.get(3)![0], 2 ** 64 - 3); // int64 −3 as a ten-byte two's-complement varint
    assert.equal(text(attrs[2]!.get(4)![0]), 'SUM');
    assert.equal(attrs[3]!.get(7)!.length, 2); // proto2 repeated float: unpacked, one entry per value
    assert.deepEqual(attrs[4]!.get(8), [1, 2, 3]);
    assert.deepEqual(attrs[5]!.get(9)!.map(text), ['a', 'LEAF']);
    // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian).
    const w = sub(graph, 5);
    assert.deepEqual([w.get(1), w.get(2)![0], text(w.get(8)![0])], [[2, 1], 1, 'w']);
    assert.deepEqual(
      Array.from(new Float32Array(Uint8Array.from(w.get(9)![0] as Uint8Array).buffer)),
      [0.25, -4],
    );
    // ValueInfoProto name = 1, type = 2; TypeProto.tensor_type = 1; Tensor elem_type = 1, shape = 2;
    // TensorShapeProto.dim = 1; Dimension dim_value = 1, dim_param = 2.
    const input = sub(graph, 11);
    assert.equal(text(input.get(1)![0]), 'input');
    const tensorType = sub(sub(input, 2), 1);
    assert.equal(tensorType.get(1)![0], 1);
    const dims = sub(tensorType, 2)
      .get(1)!
      .map((d) => fields(d as Uint8Array));
    assert.equal(text(dims[0]!.get(2)![0]), 'N');
    assert.equal(dims[1]!.get(1)![0], 2);
    assert.ok(graph.has(12));
  });

  it('reads back exactly what it wrote', () => {
    const model = sampleModel();
    assert.deepEqual(readOnnxModel(encodeOnnxModel(model)), model);
  });

  it('reads tensors stored in typed fields instead of raw_data', () => {
    const type = modelProtoType();
    const bytes = type
      .encode(
        type.fromObject({
          ir_version: 7,
          opset_import: [{ domain: '', version: 13 }],
          graph: {
            name: 'typed',
            initializer: [
              { name: 'f', dims: [2], data_type: 1, float_data: [1.5, 2.5] },
              { name: 'd', dims: [1], data_type: 11, double_data: [0.1] },
              { name: 'i', dims: [2], data_type: 7, int64_data: [5, -6] },
              { name: 's', dims: [1], data_type: 8, string_data: [new TextEncoder().encode('hé')] },
              { name: 'b', dims: [2], data_type: 9, int32_data: [1, 0] },
            ],
          },
        }),
      )
      .finish();
    const inits = readOnnxModel(bytes).graph.initializers;
    assert.deepEqual(
      inits.map((t) => [t.name, t.dataType, Array.from(t.values as ArrayLike<unknown>)]),
      [
        ['f', 'float', [1.5, 2.5]],
        ['d', 'double', [0.1]],
        ['i', 'int64', [5n, -6n]],
        ['s', 'string', ['hé']],
        ['b', 'bool', [1, 0]],
      ],
    );
  });

  it('rejects bad input with INVALID_ARGUMENT', () => {
    const isInvalid = (e: unknown) => e instanceof OspreyError && e.code === 'INVALID_ARGUMENT';
    assert.throws(() => readOnnxModel(new Uint8Array([0x0a, 0xff, 0xff])), isInvalid);
    assert.throws(() => readOnnxModel(new Uint8Array()), isInvalid);
    assert.throws(() => readOnnxModel(new Uint8Array([0x08, 0x07])), isInvalid); // no graph
    assert.throws(() => encodeOnnxModel({ ...sampleModel(), opsetImports: [] }), isInvalid);
    const badNode = makeNode('Custom', ['input'], ['z'], [attr.ints('ids', [1, 2.5])]);
    assert.throws(
      () => encodeOnnxModel({ ...sampleModel(), graph: { ...sampleModel().graph, nodes: [badNode] } }),
      isInvalid,
    );
    assert.throws(
      () =>
        floatTensor('x', [3], [1, 2]) &&
        encodeOnnxModel({
          ...sampleModel(),
          graph: { ...sampleModel().graph, initializers: [floatTensor('x', [3], [1, 2])] },
        }),
      isInvalid,
    );
  });
});
