import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinCombiner } from './combiners.js';
import { fp64 } from './test-support/fake-nodes.js';

describe('built-in combiners', () => {
  it('averages FP32 children into FP32 and mixed numeric children into FP64', () => {
    const f32 = (v: number[]) => ({
      datatype: 'FP32' as const,
      shape: [v.length],
      data: Float32Array.from(v),
    });
    const same = builtinCombiner('mean', 'c')([{ p: f32([1, 2]) }, { p: f32([3, 6]) }]);
    assert.deepEqual(same.p, { datatype: 'FP32', shape: [2], data: Float32Array.from([2, 4]) });
    const ints = { datatype: 'INT64' as const, shape: [2], data: BigInt64Array.from([1n, 3n]) };
    const mixed = builtinCombiner('mean', 'c')([{ p: ints }, { p: fp64([2, 4]) }]);
    assert.deepEqual(mixed.p, { datatype: 'FP64', shape: [2], data: Float64Array.from([1.5, 3.5]) });
  });

  it('votes on text labels too', () => {
    const labels = (v: string[]) => ({ datatype: 'BYTES' as const, shape: [v.length], data: v });
    const out = builtinCombiner(
      'majority',
      'c',
    )([{ l: labels(['cat', 'dog']) }, { l: labels(['dog', 'dog']) }, { l: labels(['cat', 'bird']) }]);
    assert.deepEqual(out.l!.data, ['cat', 'dog']);
  });

  it('names the child and output when children disagree or a tensor cannot be averaged', () => {
    const mean = builtinCombiner('mean', 'avg');
    assert.throws(
      () => mean([{ y: fp64([1, 2]) }, { y: fp64([1, 2, 3]) }]),
      /combiner 'avg': output 'y' of child 1 is FP64\[3\], child 0 gave FP64\[2\]/,
    );
    assert.throws(() => mean([{ y: fp64([1]) }, { z: fp64([1]) }]), /child 1 has no output 'y'/);
    assert.throws(
      () =>
        mean([
          { y: { datatype: 'BYTES', shape: [1], data: ['a'] } },
          { y: { datatype: 'BYTES', shape: [1], data: ['b'] } },
        ]),
      /cannot average non-numeric output 'y'/,
    );
    assert.throws(() => mean([]), /received no outputs/);
  });
});
