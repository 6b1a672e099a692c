import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import type { Signature } from '../package/index.js';
import { toRows, toTensors } from './index.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof OspreyError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);

const signature: Signature = {
  inputs: [
    { name: 'num', datatype: 'FP32', shape: [-1, 2], columns: ['height', 'weight'] },
    { name: 'city', datatype: 'BYTES', shape: [-1] },
    { name: 'member', datatype: 'BOOL', shape: [-1, 1] },
    { name: 'embedding', datatype: 'FP64', shape: [-1, 3] },
  ],
  outputs: [{ name: 'proba', datatype: 'FP32', shape: [-1, 2], columns: ['p_no', 'p_yes'] }],
};

describe('toTensors', () => {
  it('gathers columns into matrices and single columns into vectors', () => {
    const rows = [
      { weight: 70, height: 1.8, city: 'Oslo', member: true, embedding: [1, 2, 3] },
      { weight: 55, height: 1.6, city: 'Lima', member: false, embedding: [4, 5, 6] },
    ];
    const t = toTensors(rows, signature);
    assert.deepEqual(t.num, { datatype: 'FP32', shape: [2, 2], data: Float32Array.from([1.8, 70, 1.6, 55]) });
    assert.deepEqual(t.city, { datatype: 'BYTES', shape: [2], data: ['Oslo', 'Lima'] });
    assert.deepEqual(t.member, { datatype: 'BOOL', shape: [2, 1], data: Uint8Array.from([1, 0]) });
    assert.deepEqual(t.embedding, {
      datatype: 'FP64',
      shape: [2, 3],
      data: Float64Array.from([1, 2, 3, 4, 5, 6]),
    });
  });

  it('reads CSV-like strings when asked, with NaN for missing floats', () => {
    const split = {
      columns: ['height', 'weight', 'city', 'member', 'embedding'],
      data: [['1.5', '', 'Rome', 'TRUE', [0, 0, 0]]],
    };
    const t = toTensors(split, signature, { coerceStrings: true });
    assert.ok(Number.isNaN((t.num!.data as Float32Array)[1]));
    assert.equal((t.num!.data as Float32Array)[0], 1.5);
    assert.deepEqual(t.member!.data, Uint8Array.from([1]));
    assert.throws(
      () =>
        toTensors({ ...split, data: [['x', '1', 'Rome', '1', [0, 0, 0]]] }, signature, {
          coerceStrings: true,
        }),
      invalid(/column 'height' row 0: 'x' is not a number \(FP32\)/),
    );
    assert.throws(
      () => toTensors(split, signature),
      invalid(/input 'num': element 0 is "1.5", expected a number/),
    );
  });

  it('says which column an input needs', () => {
    assert.throws(() => toTensors([{ height: 1 }], signature), invalid(/input 'num' needs column 'weight'/));
    assert.throws(
      () => toTensors([{ height: 1, weight: 2, city: 'a', member: null, embedding: [1, 2, 3] }], signature),
      invalid(/column 'member' has no value in row 0/),
    );
    assert.throws(() => toTensors([{ a: 1 }], undefined), invalid(/needs a model signature/));
  });
});

describe('toRows', () => {
  it('spreads outputs with column names and keeps others per row', () => {
    const rows = toRows(
      {
        proba: { datatype: 'FP32', shape: [2, 2], data: Float32Array.from([0.25, 0.75, 1, 0]) },
        label: { datatype: 'INT64', shape: [2], data: BigInt64Array.from([1n, 0n]) },
        grid: { datatype: 'INT32', shape: [2, 2, 2], data: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
      },
      signature,
    );
    assert.deepEqual(rows, [
      {
        p_no: 0.25,
        p_yes: 0.75,
        label: 1,
        grid: [
          [1, 2],
          [3, 4],
        ],
      },
      {
        p_no: 1,
        p_yes: 0,
        label: 0,
        grid: [
          [5, 6],
          [7, 8],
        ],
      },
    ]);
    assert.throws(
      () =>
        toRows({
          a: { datatype: 'FP32', shape: [2], data: [1, 2] },
          b: { datatype: 'FP32', shape: [3], data: [1, 2, 3] },
        }),
      invalid(/output 'b' has shape \[3\], not 2 rows/),
    );
  });
});
