import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';

// Bit patterns from the IEEE 754-2008 binary16 format (1 sign, 5 exponent bits with bias 15,
// 10 fraction bits); e.g. 1 = 0x3C00, max normal 65504 = 0x7BFF, min subnormal 2^-24 = 0x0001.
const KNOWN: [number, number][] = [
  [0, 0x0000],
  [1, 0x3c00],
  [-2, 0xc000],
  [0.5, 0x3800],
  [65504, 0x7bff],
  [2 ** -14, 0x0400],
  [2 ** -24, 0x0001],
  [Number.POSITIVE_INFINITY, 0x7c00],
  [Number.NEGATIVE_INFINITY, 0xfc00],
];

describe('float16 conversion', () => {
  it('maps exactly representable values both ways', () => {
    for (const [value, bits] of KNOWN) {
      assert.equal(toFloat16Bits(value), bits, `${value}`);
      assert.equal(fromFloat16Bits(bits), value, `0x${bits.toString(16)}`);
    }
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN))));
  });

  it('rounds to nearest, ties to even, and overflows to infinity', () => {
    assert.equal(toFloat16Bits(0.1), 0x2e66); // 0.0999755859375
    assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00); // halfway between 1 and next: even is 1
    assert.equal(toFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // halfway: rounds up to even
    assert.equal(toFloat16Bits(65520), 0x7c00); // halfway to 2^16: overflows
    assert.equal(toFloat16Bits(2 ** -26), 0x0000); // below half the smallest subnormal
    assert.equal(toFloat16Bits(3 * 2 ** -25), 0x0002); // subnormal tie 1.5·2^-24 → 2·2^-24
  });
});
