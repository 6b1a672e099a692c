import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import type { Signature } from '../package/index.js';
import { checkInputs, checkOutputs, fromOipTensors, shapeMatches, toOipTensors } from './index.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof OspreyError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);

const signature: Signature = {
  inputs: [
    { name: 'ids', datatype: 'INT64', shape: [-1, 2] },
    { name: 'flags', datatype: 'BOOL', shape: [-1] },
    { name: 'small', datatype: 'UINT8', shape: [2] },
  ],
  outputs: [{ name: 'score', datatype: 'FP64', shape: [-1] }],
};

describe('signature checks', () => {
  it('converts inputs to the canonical typed arrays of their datatypes', () => {
    const out = checkInputs(
      {
        ids: { datatype: 'INT64', shape: [1, 2], data: [[1, 2 ** 40]] as unknown as number[] },
        flags: { datatype: 'BOOL', shape: [1], data: [true] },
        small: { datatype: 'UINT8', shape: [2], data: [0, 255] },
      },
      signature,
    );
    assert.deepEqual(out.ids!.data, BigInt64Array.from([1n, 2n ** 40n]));
    assert.deepEqual(out.flags!.data, Uint8Array.from([1]));
    assert.deepEqual(out.small!.data, Uint8Array.from([0, 255]));
  });

  it('names the input and the expectation in every refusal', () => {
    const base = {
      ids: { datatype: 'INT64', shape: [1, 2], data: [1, 2] },
      flags: { datatype: 'BOOL', shape: [1], data: [false] },
      small: { datatype: 'UINT8', shape: [2], data: [1, 2] },
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { ...base, small: { datatype: 'UINT8', shape: [2], data: [1, 256] } },
        /input 'small': element 1 is 256, expected an integer in \[0, 255\]/,
      ],
      [
        { ...base, small: { datatype: 'UINT8', shape: [3], data: [1, 2, 3] } },
        /input 'small': shape \[3\] does not match the signature's \[2\]/,
      ],
      [
        { ...base, ids: { datatype: 'INT64', shape: [1, 2], data: [1, 2.5] } },
        /input 'ids': element 1 is 2.5, expected an integer \(INT64\)/,
      ],
      [
        { ...base, flags: { datatype: 'BOOL', shape: [1], data: ['yes'] } },
        /input 'flags': element 0 is "yes", expected a boolean/,
      ],
      [
        { ...base, flags: { datatype: 'BOOLEAN', shape: [1], data: [true] } },
        /input 'flags': unknown datatype "BOOLEAN"/,
      ],
      [
        { ...base, flags: { datatype: 'BOOL', shape: [-1], data: [true] } },
        /input 'flags': shape must be a list of non-negative integers/,
      ],
      [{ ...base, flags: 'x' }, /input 'flags' must be \{ datatype, shape, data \}/],
    ];
    for (const [inputs, pattern] of cases)
      assert.throws(() => checkInputs(inputs, signature), invalid(pattern));
    assert.throws(() => checkInputs([1], signature), invalid(/inputs must be an object of named tensors/));
  });

  it("checks outputs as the model's fault (INTERNAL) and converts them to the declared datatype", () => {
    const out = checkOutputs(
      { score: { datatype: 'FP32', shape: [2], data: new Float32Array([0.5, 1]) } },
      signature,
    );
    assert.deepEqual(out.score, { datatype: 'FP64', shape: [2], data: new Float64Array([0.5, 1]) });
    assert.throws(
      () => checkOutputs({}, signature),
      (e: unknown) =>
        e instanceof OspreyError && e.code === 'INTERNAL' && /did not return output 'score'/.test(e.message),
    );
  });

  it('matches shapes with -1 as a wildcard and equal ranks', () => {
    assert.equal(shapeMatches([5, 3], [-1, 3]), true);
    assert.equal(shapeMatches([5, 3], [-1, 4]), false);
    assert.equal(shapeMatches([5], [-1, 3]), false);
    assert.equal(shapeMatches([], []), true);
  });

  it('round-trips tensors through OIP JSON (nested data accepted, 64-bit integers as numbers)', () => {
    const tensors = fromOipTensors([
      {
        name: 'a',
        datatype: 'INT64',
        shape: [2, 2],
        data: [
          [1, 2],
          [3, 4],
        ],
      },
      { name: 'b', datatype: 'BYTES', shape: [1], data: ['é'] },
    ]);
    assert.deepEqual(toOipTensors(tensors), [
      { name: 'a', datatype: 'INT64', shape: [2, 2], data: [1, 2, 3, 4] },
      { name: 'b', datatype: 'BYTES', shape: [1], data: ['é'] },
    ]);
    assert.throws(
      () =>
        fromOipTensors([
          { name: 'a', datatype: 'FP32', shape: [1], data: [1] },
          { name: 'a', datatype: 'FP32', shape: [1], data: [1] },
        ]),
      invalid(/tensor 'a' appears twice/),
    );
  });
});
