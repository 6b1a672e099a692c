import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { fromFloat16Bits, type Tensor, toFloat16Bits } from '../../models/index.js';
import { byteSize, tensorFromBytes, tensorToBytes } from './index.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof OspreyError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);

describe('tensor bytes (binary extension / gRPC raw contents)', () => {
  // Expected bytes written by hand from the layout in Triton's extension_binary_data.md:
  // little-endian, row-major, BOOL one byte, BYTES = uint32 LE length + bytes.
  const cases: [Tensor, number[]][] = [
    [{ datatype: 'BOOL', shape: [3], data: [true, false, true] }, [1, 0, 1]],
    [{ datatype: 'UINT8', shape: [2], data: [0, 255] }, [0, 255]],
    [{ datatype: 'UINT16', shape: [1], data: [0x1234] }, [0x34, 0x12]],
    [{ datatype: 'UINT32', shape: [1], data: [0xdeadbeef] }, [0xef, 0xbe, 0xad, 0xde]],
    [{ datatype: 'UINT64', shape: [1], data: BigUint64Array.of(2n ** 64n - 1n) }, new Array(8).fill(255)],
    [{ datatype: 'INT8', shape: [2], data: [-1, 127] }, [255, 127]],
    [{ datatype: 'INT16', shape: [1], data: [-2] }, [0xfe, 0xff]],
    [{ datatype: 'INT32', shape: [1], data: [-2] }, [0xfe, 0xff, 0xff, 0xff]],
    [{ datatype: 'INT64', shape: [1], data: BigInt64Array.of(-(2n ** 63n)) }, [0, 0, 0, 0, 0, 0, 0, 0x80]],
    // 1.0 = 0x3c00 in binary16, 0x3f800000 in binary32, 0x3ff0000000000000 in binary64.
    [{ datatype: 'FP16', shape: [1], data: [1] }, [0x00, 0x3c]],
    [{ datatype: 'FP32', shape: [1], data: [1] }, [0, 0, 0x80, 0x3f]],
    [{ datatype: 'FP64', shape: [1], data: [1] }, [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]],
    [{ datatype: 'BYTES', shape: [2], data: ['hé', ''] }, [3, 0, 0, 0, 0x68, 0xc3, 0xa9, 0, 0, 0, 0]],
  ];

  it('writes every datatype in the published layout and reads it back', () => {
    for (const [tensor, bytes] of cases) {
      assert.deepEqual([...tensorToBytes(tensor)], bytes, tensor.datatype);
      const back = tensorFromBytes('x', tensor.datatype, tensor.shape, Uint8Array.from(bytes));
      assert.deepEqual([...tensorToBytes(back)], bytes, `${tensor.datatype} round trip`);
      if (tensor.datatype !== 'BYTES') assert.equal(byteSize(tensor.datatype, tensor.shape), bytes.length);
    }
    assert.equal(byteSize('BYTES', [2]), undefined);
  });

  it('reads from unaligned offsets (binary data follows a JSON header of any length)', () => {
    const body = Uint8Array.from([9, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
    const t = tensorFromBytes('x', 'FP32', [2], body.subarray(1));
    assert.deepEqual(t.data, Float32Array.of(1, 2));
  });

  it('converts binary16 exactly at the edges (largest finite, subnormal, infinity, NaN)', () => {
    assert.equal(fromFloat16Bits(0x7bff), 65504);
    assert.equal(fromFloat16Bits(0x0001), 2 ** -24);
    assert.equal(toFloat16Bits(65504), 0x7bff);
    assert.equal(toFloat16Bits(70000), 0x7c00);
    assert.equal(toFloat16Bits(2 ** -24), 0x0001);
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN))));
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even pattern 0x3c00.
    assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00);
  });

  it('rejects byte counts that do not fit the shape, bad BOOL bytes and broken BYTES elements', () => {
    assert.throws(
      () => tensorFromBytes('input x', 'FP32', [2, 3], new Uint8Array(20)),
      invalid(/input x: FP32 shape \[2, 3\] needs 24 bytes of data, got 20/),
    );
    assert.throws(() => tensorFromBytes('x', 'BOOL', [2], Uint8Array.of(1, 2)), invalid(/element 1 is 2/));
    assert.throws(
      () => tensorFromBytes('x', 'BYTES', [1], Uint8Array.of(5, 0, 0, 0, 1)),
      invalid(/declares 5 bytes but only 1 remain/),
    );
    assert.throws(
      () => tensorFromBytes('x', 'BYTES', [2], Uint8Array.of(0, 0, 0, 0, 1)),
      invalid(/4-byte length is missing/),
    );
    assert.throws(
      () => tensorFromBytes('x', 'BYTES', [2], Uint8Array.of(0, 0, 0, 0)),
      invalid(/needs 2 BYTES elements, data has 1/),
    );
    assert.throws(
      () => tensorFromBytes('x', 'BYTES', [1], Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0)),
      invalid(/more than the 1 elements/),
    );
    assert.throws(
      () => tensorFromBytes('x', 'BYTES', [1], Uint8Array.of(1, 0, 0, 0, 0xff)),
      invalid(/not valid UTF-8/),
    );
  });
});
